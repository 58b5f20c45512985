import { describe, expect, it } from 'vitest';
import { indexConfig } from './config-index';
import { bookinfoConfig, request, serviceInfo, telemetry, workload } from './fixtures/builders';
import { addIdle } from './idle';
import type { WorkingGraph } from './model';
import { trafficGraph } from './traffic-graph';
import { trafficRecords } from './traffic-records';

const config = bookinfoConfig({
  workloads: [workload('default/mongodb-v1', { sidecar: false })],
  services: [
    serviceInfo('default/mongodb', {
      ports: [{ name: 'tcp-mongo', port: 27017, targetPort: 27017, protocol: 'TCP' }],
    }),
  ],
});
const index = indexConfig(config);
const split = telemetry({
  requests: [
    request({ from: 'default/productpage-v1', service: 'reviews', to: 'default/reviews-v1', rate: 5 }),
    request({ from: 'default/productpage-v1', service: 'reviews', to: 'default/reviews-v3', rate: 5 }),
  ],
});

function withIdle(graphType: WorkingGraph['graphType'], namespaces = ['default']): WorkingGraph {
  const graph = trafficGraph({
    graphType,
    records: trafficRecords(split, namespaces),
    index,
    injectServiceNodes: true,
  });
  return addIdle(graph, { namespaces, index, injectServiceNodes: true });
}

describe('addIdle', () => {
  it('adds configured workloads and services without traffic as idle nodes', () => {
    const graph = withIdle('workload');
    const idle = graph.nodes.filter((node) => node.isIdle).map((node) => node.id);
    expect(idle.sort()).toEqual([
      'svc:default:mongodb',
      'svc:default:productpage',
      'svc:default:ratings',
      'wl:default:mongodb-v1',
      'wl:default:ratings-v1',
      'wl:default:reviews-v2',
    ]);
    expect(graph.nodes.find((node) => node.id === 'wl:default:reviews-v1')?.isIdle).toBeUndefined();
  });

  it('adds idle edges from a service to the workloads it sent nothing to', () => {
    const graph = withIdle('versionedApp');
    const idle = graph.edges.filter((edge) => edge.isIdle).map((edge) => edge.id);
    expect(idle).toContain('svc:default:reviews->vapp:default:reviews:v2:http');
    expect(idle).not.toContain('svc:default:reviews->vapp:default:reviews:v1:http');
    expect(idle).toContain('svc:default:mongodb->vapp:default:mongodb:v1:tcp');
  });

  it('leaves other namespaces alone', () => {
    const graph = withIdle('workload');
    expect(graph.nodes.some((node) => node.namespace === 'istio-system')).toBe(false);
  });

  it('adds only idle services to the service graph', () => {
    const graph = addIdle(
      { graphType: 'service', nodes: [], edges: [] },
      { namespaces: ['default'], index, injectServiceNodes: true },
    );
    expect(graph.nodes.every((node) => node.kind === 'service' && node.isIdle)).toBe(true);
    expect(graph.edges).toEqual([]);
  });
});
