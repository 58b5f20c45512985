import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../types/graph';
import { edgeDenials, withEdgeDenials } from './graph-denials';
import { istio, service, snapshotOf, workload } from './test-snapshot';

function node(id: string, parts: Partial<GraphNode>): GraphNode {
  return {
    id,
    kind: 'workload',
    namespace: 'default',
    name: id,
    badges: [],
    health: 'healthy',
    traffic: { inboundRps: 0, outboundRps: 0, inboundErrorRate: 0, outboundErrorRate: 0 },
    ...parts,
  } as GraphNode;
}

function edge(id: string, source: string, target: string, codes: Record<string, number>): GraphEdge {
  return {
    id,
    source,
    target,
    protocol: 'http',
    rps: 1,
    percentOfSource: 100,
    errorRate: 0,
    responseTime: null,
    throughput: null,
    mtlsPercent: 0,
    responseCodes: codes,
    responseFlags: {},
    sourcePrincipals: [],
    destinationPrincipals: [],
    health: 'healthy',
  };
}

describe('denied graph edges', () => {
  const ratings = workload('default', 'ratings-v1', { app: 'ratings', version: 'v1' });
  const reviews = workload('default', 'reviews-v1', { app: 'reviews', version: 'v1' });
  const snapshot = snapshotOf({
    workloads: [ratings, reviews],
    services: [service('default', 'ratings', { app: 'ratings' }, [{ port: 9080 }])],
    istio: [
      istio('AuthorizationPolicy', 'default', 'ratings-deny-plaintext', {
        selector: { matchLabels: { app: 'ratings' } },
        action: 'DENY',
        rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }],
      }),
    ],
  });
  const nodes = [
    node('unknown', { kind: 'unknown', namespace: 'unknown', name: 'unknown' }),
    node('wl:default:reviews-v1', { name: 'reviews-v1', workload: 'reviews-v1' }),
    node('vapp:default:ratings:v1', { kind: 'app', name: 'ratings', app: 'ratings', version: 'v1' }),
    node('svc:default:ratings', { kind: 'service', name: 'ratings', service: 'ratings' }),
  ];

  it("explains the plaintext caller's 403s with the DENY policy, through an app node or a service node", () => {
    const verdicts = edgeDenials(
      nodes,
      [
        edge('a', 'unknown', 'vapp:default:ratings:v1', { '200': 0, '403': 1 }),
        edge('b', 'unknown', 'svc:default:ratings', { '403': 0.5 }),
        edge('c', 'wl:default:reviews-v1', 'vapp:default:ratings:v1', { '200': 3 }),
      ],
      snapshot,
    );
    expect([...verdicts.keys()]).toEqual(['a', 'b']);
    expect(verdicts.get('a')).toMatchObject({
      deniedRps: 1,
      decision: 'DENY',
      stage: 'authorization',
      policy: { kind: 'AuthorizationPolicy', namespace: 'default', name: 'ratings-deny-plaintext' },
      rule: 0,
    });
    expect(verdicts.get('a')?.reason).toMatch(/^Configuration denies it too \(checked as GET \/\)/);
    expect(verdicts.get('b')).toMatchObject({ deniedRps: 0.5, decision: 'DENY' });
  });

  it('says when configuration would allow the caller, so the 403s come from elsewhere', () => {
    const [marked] = withEdgeDenials(
      nodes,
      [edge('d', 'wl:default:reviews-v1', 'vapp:default:ratings:v1', { '403': 2 })],
      snapshot,
    );
    expect(marked?.authz).toMatchObject({ deniedRps: 2, decision: 'ALLOW' });
    expect(marked?.authz?.reason).toContain(
      'depend on the method, path or headers, or come from the application',
    );
  });

  it('leaves edges without 403s as they are', () => {
    const edges = [edge('e', 'wl:default:reviews-v1', 'vapp:default:ratings:v1', { '200': 2, '429': 1 })];
    expect(withEdgeDenials(nodes, edges, snapshot)).toBe(edges);
  });
});

describe('denied edges drawn', () => {
  it('gives an edge that configuration denies the authz-denied class, and no other', async () => {
    const { toCytoscapeElements } = await import('../graph-view/to-cytoscape');
    const base = {
      id: 'x',
      source: 'unknown',
      target: 'wl:default:ratings-v1',
      protocol: 'http' as const,
      rps: 1,
      percentOfSource: 100,
      errorRate: 1,
      responseTime: null,
      throughput: null,
      mtlsPercent: 0,
      responseCodes: { '403': 1 },
      responseFlags: {},
      sourcePrincipals: [],
      destinationPrincipals: [],
      health: 'failure' as const,
    };
    const [denied, allowed, plain] = toCytoscapeElements({
      nodes: [],
      edges: [
        { ...base, authz: { deniedRps: 1, decision: 'DENY', reason: '' } },
        { ...base, id: 'y', authz: { deniedRps: 1, decision: 'ALLOW', reason: '' } },
        { ...base, id: 'z' },
      ],
    });
    expect(denied?.classes).toContain('authz-denied');
    expect(allowed?.classes).not.toContain('authz-denied');
    expect(plain?.classes).not.toContain('authz-denied');
  });
});
