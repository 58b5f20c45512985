import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../types/graph';
import { neighbourhood, serviceNodeId } from './neighbourhood';

const node = (id: string, extra: Partial<GraphNode> = {}): GraphNode => ({
  id,
  kind: id.startsWith('svc:') ? 'service' : 'workload',
  namespace: 'default',
  name: id.split(':').at(-1) ?? id,
  badges: [],
  health: { status: 'healthy', errorRate: 0 },
  traffic: { inboundRps: 0, outboundRps: 0, inboundErrorRate: 0, outboundErrorRate: 0 },
  ...extra,
});

const edge = (source: string, target: string): GraphEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  protocol: 'http',
  rps: 1,
  percentOfSource: 100,
  errorRate: 0,
  responseTime: null,
  throughput: null,
  mtlsPercent: 100,
  responseCodes: {},
  responseFlags: {},
  sourcePrincipals: [],
  destinationPrincipals: [],
  health: 'healthy',
});

// gateway -> productpage -> {details, reviews -> v1, v2 -> ratings}
const graph = {
  nodes: [
    node('wl:istio-system:ingress'),
    node('svc:default:productpage'),
    node('wl:default:productpage-v1'),
    node('svc:default:details'),
    node('wl:default:details-v1'),
    node('svc:default:reviews'),
    node('wl:default:reviews-v1'),
    node('wl:default:reviews-v2', { parent: 'box:default:reviews' }),
    node('box:default:reviews', { isBox: true }),
    node('svc:default:ratings'),
    node('wl:default:ratings-v1'),
  ],
  edges: [
    edge('wl:istio-system:ingress', 'svc:default:productpage'),
    edge('svc:default:productpage', 'wl:default:productpage-v1'),
    edge('wl:default:productpage-v1', 'svc:default:details'),
    edge('svc:default:details', 'wl:default:details-v1'),
    edge('wl:default:productpage-v1', 'svc:default:reviews'),
    edge('svc:default:reviews', 'wl:default:reviews-v1'),
    edge('svc:default:reviews', 'wl:default:reviews-v2'),
    edge('wl:default:reviews-v2', 'svc:default:ratings'),
    edge('svc:default:ratings', 'wl:default:ratings-v1'),
  ],
};

describe('neighbourhood', () => {
  it('keeps callers, the service, its workloads and what they call, with only those edges', () => {
    const result = neighbourhood(graph, serviceNodeId('default', 'reviews'));
    expect(result.focus).toBe('svc:default:reviews');
    expect(result.nodes.map((item) => item.id).sort()).toEqual([
      'svc:default:ratings',
      'svc:default:reviews',
      'wl:default:productpage-v1',
      'wl:default:reviews-v1',
      'wl:default:reviews-v2',
    ]);
    expect(result.edges.map((item) => item.id)).toEqual([
      'wl:default:productpage-v1->svc:default:reviews',
      'svc:default:reviews->wl:default:reviews-v1',
      'svc:default:reviews->wl:default:reviews-v2',
      'wl:default:reviews-v2->svc:default:ratings',
    ]);
  });

  it('drops app boxes and the parent link to a box it does not keep', () => {
    const result = neighbourhood(graph, 'svc:default:reviews');
    expect(result.nodes.some((item) => item.isBox)).toBe(false);
    expect(result.nodes.find((item) => item.id === 'wl:default:reviews-v2')?.parent).toBeUndefined();
  });

  it('is the gateway as caller for the entry service', () => {
    const result = neighbourhood(graph, 'svc:default:productpage');
    expect(result.nodes.map((item) => item.id).sort()).toEqual([
      'svc:default:details',
      'svc:default:productpage',
      'svc:default:reviews',
      'wl:default:productpage-v1',
      'wl:istio-system:ingress',
    ]);
  });

  it('is empty for a service the graph does not hold', () => {
    expect(neighbourhood(graph, 'svc:default:nope')).toEqual({
      focus: 'svc:default:nope',
      nodes: [],
      edges: [],
    });
  });
});
