import { describe, expect, it } from 'vitest';
import { boxApps } from './app-boxes';
import { applyBadges } from './badges';
import { indexConfig } from './config-index';
import {
  bookinfoConfig,
  istio,
  request,
  serviceInfo,
  telemetry,
  workingGraph,
  workload,
} from './fixtures/builders';
import { loadFixture } from './fixtures/load';
import type { WorkingGraph } from './model';

const node = (graph: WorkingGraph, id: string) => graph.nodes.find((candidate) => candidate.id === id);

const traffic = telemetry({
  requests: [
    request({
      from: 'istio-system/istio-ingressgateway',
      service: 'productpage',
      to: 'default/productpage-v1',
      rate: 1,
    }),
    request({ from: 'default/productpage-v1', service: 'reviews', to: 'default/reviews-v1', rate: 1 }),
    request({ from: 'default/productpage-v1', service: 'reviews', to: 'default/reviews-v2', rate: 1 }),
    request({ from: 'default/reviews-v2', service: 'ratings', to: 'default/ratings-v1', rate: 1 }),
    request({ from: 'default/reviews-v2', service: 'legacy', to: 'default/legacy', rate: 1 }),
  ],
});

function badged(
  extra: Parameters<typeof bookinfoConfig>[0],
  graphType: WorkingGraph['graphType'] = 'workload',
) {
  const config = bookinfoConfig(extra);
  const index = indexConfig(config);
  const graph = workingGraph(traffic, { config, graphType, namespaces: [] });
  return applyBadges(graphType === 'versionedApp' ? boxApps(graph, index) : graph, index, true);
}

describe('applyBadges', () => {
  it('reads routing features from the VirtualService of a short host', () => {
    const graph = badged({
      istio: [
        istio('VirtualService', 'default/reviews', {
          hosts: ['reviews'],
          http: [
            {
              fault: { delay: { fixedDelay: '1s', percentage: { value: 10 } } },
              timeout: '2s',
              retries: { attempts: 3 },
              mirror: { host: 'reviews', subset: 'v3' },
              route: [
                { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
                { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
              ],
            },
          ],
        }),
        istio('VirtualService', 'default/ratings', {
          hosts: ['ratings.default.svc.cluster.local'],
          http: [{ route: [{ destination: { host: 'ratings' } }] }],
        }),
      ],
    });
    expect(node(graph, 'svc:default:reviews')?.badges).toEqual([
      'virtualService',
      'trafficShifting',
      'faultInjection',
      'requestTimeout',
      'retries',
      'mirroring',
    ]);
    expect(node(graph, 'svc:default:ratings')?.badges).toEqual(['virtualService']);
    expect(node(graph, 'svc:default:productpage')?.badges).toEqual([]);
    // Routing badges belong to the service node, not to the workloads behind it.
    expect(node(graph, 'wl:default:reviews-v1')?.badges).toEqual([]);
  });

  it('ignores VirtualServices bound only to gateways', () => {
    const graph = badged({
      istio: [
        istio('VirtualService', 'default/bookinfo', {
          hosts: ['*'],
          gateways: ['bookinfo-gateway'],
          http: [{ route: [{ destination: { host: 'productpage' } }] }],
        }),
      ],
    });
    expect(node(graph, 'svc:default:productpage')?.badges).toEqual([]);
  });

  it('marks circuit breakers, per subset for versioned nodes', () => {
    const rules = [
      istio('DestinationRule', 'default/reviews', {
        host: 'reviews',
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          {
            name: 'v2',
            labels: { version: 'v2' },
            trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 } },
          },
        ],
      }),
      istio('DestinationRule', 'default/ratings', {
        host: 'ratings',
        trafficPolicy: {
          portLevelSettings: [{ port: { number: 9080 }, connectionPool: { tcp: { maxConnections: 1 } } }],
        },
      }),
    ];
    const graph = badged({ istio: rules }, 'versionedApp');
    expect(node(graph, 'svc:default:reviews')?.badges).toContain('circuitBreaker');
    expect(node(graph, 'vapp:default:reviews:v2')?.badges).toContain('circuitBreaker');
    expect(node(graph, 'vapp:default:reviews:v1')?.badges).not.toContain('circuitBreaker');
    expect(node(graph, 'svc:default:ratings')?.badges).toContain('circuitBreaker');
    expect(node(graph, 'vapp:default:ratings:v1')?.badges).toContain('circuitBreaker');
  });

  it('flags gateways, missing sidecars and unknown callers', () => {
    const graph = badged({
      workloads: [workload('default/legacy', { sidecar: false })],
      services: [serviceInfo('default/legacy')],
    });
    expect(node(graph, 'wl:istio-system:istio-ingressgateway')).toMatchObject({
      isGateway: true,
      badges: ['gateway'],
    });
    expect(node(graph, 'wl:default:legacy')).toMatchObject({ isOutside: true, badges: ['missingSidecar'] });
    expect(node(graph, 'svc:default:legacy')).toMatchObject({ isOutside: true, badges: ['missingSidecar'] });
    expect(node(graph, 'wl:default:reviews-v1')?.isOutside).toBeUndefined();
  });

  it('badges the recorded scenarios as configured', () => {
    const bookinfo = loadFixture('bookinfo');
    const index = indexConfig(bookinfo.config);
    const graph = applyBadges(workingGraph(bookinfo.telemetry, { config: bookinfo.config }), index, true);
    expect(node(graph, 'svc:default:reviews')?.badges).toEqual(['virtualService', 'trafficShifting']);
    expect(node(graph, 'svc:default:details')?.badges).toEqual(['virtualService']);

    const chaos = loadFixture('chaos');
    const chaosIndex = indexConfig(chaos.config);
    const chaosGraph = applyBadges(
      workingGraph(chaos.telemetry, { config: chaos.config, namespaces: chaos.namespaces }),
      chaosIndex,
      true,
    );
    expect(node(chaosGraph, 'svc:default:reviews')?.badges).toContain('circuitBreaker');
    expect(node(chaosGraph, 'wl:default:mongodb-v1')?.badges).toEqual(['missingSidecar']);
    expect(node(chaosGraph, 'unknown')?.isOutside).toBe(true);
  });

  it('badges ServiceEntry nodes', () => {
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
    const graph = applyBadges(
      workingGraph(telemetry({ requests: [external] }), { config }),
      indexConfig(config),
      true,
    );
    expect(node(graph, 'se:default:google')?.badges).toEqual(['serviceEntry']);
  });
});
