import { describe, expect, it } from 'vitest';
import { indexConfig } from './config-index';
import { loadFixture } from './fixtures/load';
import { reduceToServices } from './reduce-to-services';
import { trafficGraph } from './traffic-graph';
import { trafficRecords } from './traffic-records';

function serviceGraph(name: 'bookinfo' | 'chaos') {
  const fixture = loadFixture(name);
  return reduceToServices(
    trafficGraph({
      graphType: 'service',
      records: trafficRecords(fixture.telemetry, fixture.namespaces),
      index: indexConfig(fixture.config),
      injectServiceNodes: true,
    }),
  );
}

describe('reduceToServices', () => {
  it('keeps services and the roots that call them, with service-to-service edges', () => {
    const graph = serviceGraph('bookinfo');
    expect(graph.nodes.map((node) => node.id).sort()).toEqual([
      'svc:default:details',
      'svc:default:productpage',
      'svc:default:ratings',
      'svc:default:reviews',
      'wl:istio-system:istio-ingressgateway',
    ]);
    expect(graph.edges.map((edge) => edge.id).sort()).toEqual([
      'svc:default:productpage->svc:default:details:http',
      'svc:default:productpage->svc:default:reviews:http',
      'svc:default:reviews->svc:default:ratings:http',
      'wl:istio-system:istio-ingressgateway->svc:default:productpage:http',
    ]);
  });

  it("carries the workloads' traffic onto the service edge", () => {
    const graph = serviceGraph('bookinfo');
    const toRatings = graph.edges.find((edge) => edge.id === 'svc:default:reviews->svc:default:ratings:http');
    expect(toRatings?.records.requests.map((sample) => sample.source.workload)).toEqual(['reviews-v3']);
  });

  it('keeps unknown callers as roots', () => {
    const graph = serviceGraph('chaos');
    expect(graph.nodes.map((node) => node.id)).toContain('unknown');
    expect(graph.edges.map((edge) => edge.id)).toEqual(
      expect.arrayContaining([
        'unknown->svc:default:details:http',
        'svc:default:ratings->svc:default:mongodb:tcp',
      ]),
    );
    expect(
      graph.nodes.some(
        (node) => node.kind === 'workload' && node.id !== 'wl:istio-system:istio-ingressgateway',
      ),
    ).toBe(false);
  });
});
