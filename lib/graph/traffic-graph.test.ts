import { describe, expect, it } from 'vitest';
import { indexConfig } from './config-index';
import {
  bookinfoConfig,
  bytes,
  duration,
  istio,
  request,
  serviceInfo,
  telemetry,
  workload,
} from './fixtures/builders';
import { loadFixture } from './fixtures/load';
import type { WorkingGraph } from './model';
import { trafficGraph } from './traffic-graph';
import { trafficRecords } from './traffic-records';

function fromFixture(graphType: WorkingGraph['graphType'], injectServiceNodes = true): WorkingGraph {
  const fixture = loadFixture('bookinfo');
  return trafficGraph({
    graphType,
    records: trafficRecords(fixture.telemetry, fixture.namespaces),
    index: indexConfig(fixture.config),
    injectServiceNodes,
  });
}

const ids = (graph: WorkingGraph) => ({
  nodes: graph.nodes.map((node) => node.id).sort(),
  edges: graph.edges.map((edge) => edge.id).sort(),
});

describe('trafficGraph', () => {
  it('injects service nodes between callers and the workloads that answered', () => {
    expect(ids(fromFixture('workload'))).toEqual({
      nodes: [
        'svc:default:details',
        'svc:default:productpage',
        'svc:default:ratings',
        'svc:default:reviews',
        'wl:default:details-v1',
        'wl:default:productpage-v1',
        'wl:default:ratings-v1',
        'wl:default:reviews-v1',
        'wl:default:reviews-v3',
        'wl:istio-system:istio-ingressgateway',
      ],
      edges: [
        'svc:default:details->wl:default:details-v1:http',
        'svc:default:productpage->wl:default:productpage-v1:http',
        'svc:default:ratings->wl:default:ratings-v1:http',
        'svc:default:reviews->wl:default:reviews-v1:http',
        'svc:default:reviews->wl:default:reviews-v3:http',
        'wl:default:productpage-v1->svc:default:details:http',
        'wl:default:productpage-v1->svc:default:reviews:http',
        'wl:default:reviews-v3->svc:default:ratings:http',
        'wl:istio-system:istio-ingressgateway->svc:default:productpage:http',
      ],
    });
  });

  it('names nodes per graph type', () => {
    expect(ids(fromFixture('app')).nodes).toContain('app:default:reviews');
    expect(ids(fromFixture('versionedApp')).nodes).toEqual(
      expect.arrayContaining(['vapp:default:reviews:v1', 'vapp:default:reviews:v3', 'svc:default:reviews']),
    );
  });

  it('connects callers straight to workloads without service nodes', () => {
    expect(ids(fromFixture('workload', false)).edges).toContain(
      'wl:default:productpage-v1->wl:default:reviews-v1:http',
    );
  });

  it('puts every sample of an edge on both hops of its path', () => {
    const graph = fromFixture('workload');
    const edge = (id: string) => graph.edges.find((candidate) => candidate.id === id);
    const toReviews = edge('wl:default:productpage-v1->svc:default:reviews:http');
    expect(toReviews?.records.requests.map((sample) => sample.destination.workload).sort()).toEqual([
      'reviews-v1',
      'reviews-v3',
    ]);
    expect(toReviews?.records.durations).toHaveLength(2);
    expect(toReviews?.records.security).toHaveLength(2);
    const toV1 = edge('svc:default:reviews->wl:default:reviews-v1:http');
    expect(toV1?.records.requests).toHaveLength(1);
    expect(toV1?.records.throughput).toHaveLength(1);
  });

  it('ends requests that never reached a workload at the service node', () => {
    const graph = trafficGraph({
      graphType: 'workload',
      records: trafficRecords(
        telemetry({
          requests: [
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'unknown',
              rate: 1,
              code: '503',
              flags: 'UH',
              reporter: 'source',
            }),
          ],
        }),
        ['default'],
      ),
      index: indexConfig(bookinfoConfig()),
      injectServiceNodes: false,
    });
    expect(ids(graph).edges).toEqual(['wl:default:productpage-v1->svc:default:reviews:http']);
  });

  it('attributes traffic to a sidecar-less destination when the service has only that workload', () => {
    const config = bookinfoConfig({
      workloads: [workload('default/mongodb-v1', { sidecar: false })],
      services: [
        serviceInfo('default/mongodb', {
          ports: [{ name: 'tcp-mongo', port: 27017, targetPort: 27017, protocol: 'TCP' }],
        }),
      ],
    });
    const graph = trafficGraph({
      graphType: 'workload',
      records: trafficRecords(
        telemetry({
          throughput: [
            bytes({
              from: 'default/ratings-v1',
              service: 'mongodb',
              to: 'unknown',
              sent: 100,
              received: 900,
              protocol: 'tcp',
            }),
          ],
        }),
        ['default'],
      ),
      index: indexConfig(config),
      injectServiceNodes: true,
    });
    expect(ids(graph).edges).toEqual([
      'svc:default:mongodb->wl:default:mongodb-v1:tcp',
      'wl:default:ratings-v1->svc:default:mongodb:tcp',
    ]);
  });

  it('routes external hosts to ServiceEntry nodes and drops samples that name no service', () => {
    const config = bookinfoConfig({
      istio: [
        istio('ServiceEntry', 'default/google', { hosts: ['www.google.com'], location: 'MESH_EXTERNAL' }),
      ],
    });
    const external = {
      ...request({
        from: 'default/productpage-v1',
        service: 'reviews',
        to: 'unknown',
        rate: 1,
        reporter: 'source',
      }),
      service: { fqdn: 'www.google.com', name: 'www.google.com', namespace: 'unknown' },
    };
    const nowhere = { ...external, service: { fqdn: 'unknown', name: 'unknown', namespace: 'unknown' } };
    const graph = trafficGraph({
      graphType: 'workload',
      records: trafficRecords(telemetry({ requests: [external, nowhere] }), []),
      index: indexConfig(config),
      injectServiceNodes: true,
    });
    expect(ids(graph).edges).toEqual(['wl:default:productpage-v1->se:default:google:http']);
    expect(graph.nodes.find((node) => node.id === 'se:default:google')?.kind).toBe('serviceentry');
  });

  it('does not create edges for durations without requests', () => {
    const graph = trafficGraph({
      graphType: 'workload',
      records: trafficRecords(
        telemetry({
          durations: [
            duration({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              rate: 1,
              le: 10,
            }),
          ],
        }),
        ['default'],
      ),
      index: indexConfig(bookinfoConfig()),
      injectServiceNodes: true,
    });
    expect(graph.edges).toEqual([]);
  });
});
