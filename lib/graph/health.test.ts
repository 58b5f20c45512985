import { describe, expect, it } from 'vitest';
import { boxApps } from './app-boxes';
import { indexConfig } from './config-index';
import { edgeTraffic } from './edge-traffic';
import { bookinfoConfig, bytes, request, telemetry, workingGraph, workload } from './fixtures/builders';
import {
  applyHealth,
  compileTolerances,
  defaultHealthTolerances,
  type HealthTolerance,
  judgeRequests,
  worstStatus,
} from './health';
import { addIdle } from './idle';
import type { WorkingGraph } from './model';
import { nodeTraffic } from './node-traffic';

const defaults = compileTolerances(defaultHealthTolerances);

function share(code: string, percent: number, protocol: 'http' | 'grpc' = 'http') {
  const grpc = protocol === 'grpc';
  return [
    request({
      from: 'a/x',
      service: 'y',
      to: 'a/y',
      rate: 100 - percent,
      protocol,
      grpcStatus: grpc ? '0' : '',
    }),
    request({
      from: 'a/x',
      service: 'y',
      to: 'a/y',
      rate: percent,
      protocol,
      code: grpc ? '200' : code,
      grpcStatus: grpc ? code : '',
    }),
  ];
}

describe("Kiali's default tolerances", () => {
  it.each([
    ['503', 0.5, 'degraded'],
    ['503', 9.9, 'degraded'],
    ['503', 10, 'failure'],
    ['404', 9.9, 'healthy'],
    ['404', 10, 'degraded'],
    ['404', 20, 'failure'],
    ['0', 5, 'degraded'],
    ['0', 10, 'failure'],
    ['200', 50, 'healthy'],
  ])('HTTP %s on %f %% of requests is %s', (code, percent, status) => {
    expect(judgeRequests(share(code, percent), 'inbound', defaults).status).toBe(status);
  });

  it('judges gRPC statuses on gRPC requests', () => {
    expect(judgeRequests(share('14', 1, 'grpc'), 'outbound', defaults).status).toBe('degraded');
    expect(judgeRequests(share('14', 10, 'grpc'), 'outbound', defaults).status).toBe('failure');
  });

  it('says why', () => {
    expect(judgeRequests(share('503', 12.5), 'inbound', defaults)).toEqual({
      status: 'failure',
      reason: '5XX on 12.5 % of inbound requests',
    });
    expect(judgeRequests([], 'inbound', defaults).status).toBe('na');
  });

  it('can be configured, per direction', () => {
    const lenient: HealthTolerance[] = [
      { code: '5XX', protocol: 'http', direction: 'inbound', degraded: 20, failure: 50 },
    ];
    const compiled = compileTolerances(lenient);
    expect(judgeRequests(share('503', 30), 'inbound', compiled).status).toBe('degraded');
    expect(judgeRequests(share('503', 30), 'outbound', compiled).status).toBe('healthy');
  });

  it('orders statuses failure > degraded > healthy > idle > na', () => {
    expect(worstStatus(['healthy', 'failure', 'degraded'])).toBe('failure');
    expect(worstStatus(['idle', 'healthy'])).toBe('healthy');
    expect(worstStatus(['na', 'idle'])).toBe('idle');
    expect(worstStatus([])).toBe('na');
  });
});

describe('applyHealth', () => {
  const snapshot = telemetry({
    requests: [
      request({ from: 'default/productpage-v1', service: 'reviews', to: 'default/reviews-v1', rate: 5 }),
      request({ from: 'default/productpage-v1', service: 'reviews', to: 'default/reviews-v3', rate: 4 }),
      request({
        from: 'default/productpage-v1',
        service: 'reviews',
        to: 'default/reviews-v3',
        rate: 1,
        code: '503',
      }),
    ],
    throughput: [
      bytes({
        from: 'default/ratings-v1',
        service: 'mongodb',
        to: 'default/mongodb-v1',
        sent: 10,
        received: 10,
        protocol: 'tcp',
      }),
    ],
  });

  function judged(
    config = bookinfoConfig(),
    graphType: WorkingGraph['graphType'] = 'workload',
  ): WorkingGraph {
    const index = indexConfig(config);
    let graph = workingGraph(snapshot, { config, graphType });
    graph = addIdle(graph, { namespaces: ['default'], index, injectServiceNodes: true });
    graph = nodeTraffic(edgeTraffic(boxApps(graph, index)));
    return applyHealth(graph, { index, tolerances: defaultHealthTolerances });
  }

  const health = (graph: WorkingGraph, id: string) =>
    graph.nodes.find((node) => node.id === id)?.health ?? graph.edges.find((edge) => edge.id === id)?.health;

  it('judges edges on their own requests', () => {
    const graph = judged();
    expect(health(graph, 'svc:default:reviews->wl:default:reviews-v3:http')).toBe('failure');
    expect(health(graph, 'svc:default:reviews->wl:default:reviews-v1:http')).toBe('healthy');
    expect(health(graph, 'wl:default:productpage-v1->svc:default:reviews:http')).toBe('failure');
    expect(health(graph, 'svc:default:reviews->wl:default:reviews-v2:http')).toBe('idle');
    expect(health(graph, 'wl:default:ratings-v1->svc:default:mongodb:tcp')).toBe('healthy');
  });

  it('judges nodes on the worse of inbound and outbound', () => {
    const graph = judged();
    expect(health(graph, 'wl:default:reviews-v3')).toEqual({
      status: 'failure',
      errorRate: 0.2,
      reason: '5XX on 20 % of inbound requests',
    });
    expect(health(graph, 'wl:default:productpage-v1')).toMatchObject({ status: 'failure', errorRate: 0.1 });
    expect(health(graph, 'wl:default:reviews-v1')).toEqual({ status: 'healthy', errorRate: 0 });
    expect(health(graph, 'wl:default:reviews-v2')).toEqual({ status: 'idle', errorRate: 0 });
  });

  it("adds the workloads' pods: none ready fails, fewer than desired degrades", () => {
    const config = bookinfoConfig();
    config.workloads = config.workloads.map((entry) =>
      entry.name === 'reviews-v1'
        ? { ...entry, desiredReplicas: 3, readyReplicas: 2 }
        : entry.name === 'reviews-v2'
          ? { ...entry, readyReplicas: 0 }
          : entry,
    );
    const graph = judged(config);
    expect(health(graph, 'wl:default:reviews-v1')).toMatchObject({
      status: 'degraded',
      reason: 'reviews-v1: 2 of 3 pods ready',
    });
    expect(health(graph, 'wl:default:reviews-v2')).toMatchObject({ status: 'failure' });
  });

  it('gives an app box the worst of its members', () => {
    const graph = judged(
      bookinfoConfig({ workloads: [workload('default/mongodb-v1', { sidecar: false })] }),
      'versionedApp',
    );
    expect(health(graph, 'box:default:reviews')).toMatchObject({ status: 'failure' });
  });
});
