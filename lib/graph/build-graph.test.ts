import { describe, expect, it } from 'vitest';
import type { GraphType } from '../types/graph';
import { type BuildGraphInput, buildGraph } from './build-graph';
import { loadFixture } from './fixtures/load';

function build(
  name: 'bookinfo' | 'chaos',
  graphType: GraphType,
  idle: boolean,
  options?: BuildGraphInput['options'],
) {
  const fixture = loadFixture(name);
  return buildGraph({
    graphType,
    namespaces: fixture.namespaces,
    config: fixture.config,
    telemetry: fixture.telemetry,
    idle,
    ...(options ? { options } : {}),
  });
}

const byId = <T extends { id: string }>(items: T[], id: string) => items.find((item) => item.id === id);

describe('buildGraph on the recorded Bookinfo', () => {
  it('shows productpage -> reviews service -> v1 and v3 about 50/50, and v3 -> ratings', () => {
    const { nodes, edges } = build('bookinfo', 'versionedApp', false);
    expect(byId(edges, 'vapp:default:productpage:v1->svc:default:reviews:http')?.rps).toBeCloseTo(10, 6);
    const v1 = byId(edges, 'svc:default:reviews->vapp:default:reviews:v1:http');
    const v3 = byId(edges, 'svc:default:reviews->vapp:default:reviews:v3:http');
    for (const split of [v1, v3]) {
      expect(split?.percentOfSource).toBeGreaterThan(40);
      expect(split?.percentOfSource).toBeLessThan(60);
      expect(split).toMatchObject({ mtlsPercent: 100, errorRate: 0, health: 'healthy', protocol: 'http' });
    }
    expect((v1?.percentOfSource ?? 0) + (v3?.percentOfSource ?? 0)).toBeCloseTo(100, 6);
    expect(byId(edges, 'vapp:default:reviews:v3->svc:default:ratings:http')?.rps).toBeGreaterThan(4);
    expect(
      edges.some(
        (edge) => edge.source === 'vapp:default:reviews:v1' && edge.target === 'svc:default:ratings',
      ),
    ).toBe(false);
    expect(byId(nodes, 'svc:default:reviews')?.badges).toEqual(['virtualService', 'trafficShifting']);
    expect(byId(nodes, 'vapp:default:reviews:v2')).toBeUndefined();
  });

  it('makes the ingress gateway the one root', () => {
    const { nodes } = build('bookinfo', 'workload', false);
    expect(nodes.filter((node) => node.isRoot).map((node) => node.id)).toEqual([
      'wl:istio-system:istio-ingressgateway',
    ]);
    expect(byId(nodes, 'wl:istio-system:istio-ingressgateway')).toMatchObject({
      isGateway: true,
      badges: ['gateway'],
      traffic: { outboundRps: 10 },
    });
  });

  it('shows reviews-v2 idle, with an idle edge from the reviews service, when asked', () => {
    const { nodes, edges } = build('bookinfo', 'versionedApp', true);
    expect(byId(nodes, 'vapp:default:reviews:v2')).toMatchObject({
      isIdle: true,
      parent: 'box:default:reviews',
      health: { status: 'idle' },
    });
    expect(byId(edges, 'svc:default:reviews->vapp:default:reviews:v2:http')).toMatchObject({
      isIdle: true,
      rps: 0,
      health: 'idle',
    });
    expect(nodes.filter((node) => node.isIdle).map((node) => node.id)).toEqual(['vapp:default:reviews:v2']);
    const workloads = build('bookinfo', 'workload', true);
    expect(byId(workloads.nodes, 'wl:default:reviews-v2')?.isIdle).toBe(true);
    expect(byId(workloads.edges, 'svc:default:reviews->wl:default:reviews-v2:http')?.isIdle).toBe(true);
  });

  it('builds every graph type with healthy nodes and consistent ends', () => {
    for (const graphType of ['workload', 'app', 'versionedApp', 'service'] as const) {
      const { nodes, edges } = build('bookinfo', graphType, true);
      const ids = new Set(nodes.map((node) => node.id));
      expect(ids.size, graphType).toBe(nodes.length);
      for (const edge of edges) {
        expect(ids.has(edge.source), edge.id).toBe(true);
        expect(ids.has(edge.target), edge.id).toBe(true);
      }
      for (const node of nodes) if (node.parent) expect(ids.has(node.parent), node.id).toBe(true);
      for (const node of nodes.filter((candidate) => !candidate.isIdle && !candidate.isBox))
        expect(node.health.status, `${graphType} ${node.id}`).toBe('healthy');
    }
    expect(build('bookinfo', 'app', false).nodes.map((node) => node.id)).toEqual([
      'app:default:details',
      'app:default:productpage',
      'app:default:ratings',
      'app:default:reviews',
      'app:istio-system:istio-ingressgateway',
      'svc:default:details',
      'svc:default:productpage',
      'svc:default:ratings',
      'svc:default:reviews',
    ]);
  });

  it('is deterministic: boxes first, then nodes and edges by id', () => {
    const first = build('bookinfo', 'versionedApp', true);
    expect(build('bookinfo', 'versionedApp', true)).toEqual(first);
    const boxes = first.nodes.filter((node) => node.isBox).length;
    expect(first.nodes.slice(0, boxes).every((node) => node.isBox)).toBe(true);
    const rest = first.nodes.slice(boxes).map((node) => node.id);
    expect(rest).toEqual([...rest].sort());
    const edgeIds = first.edges.map((edge) => edge.id);
    expect(edgeIds).toEqual([...edgeIds].sort());
    expect(first.edges.every((edge) => !('records' in edge))).toBe(true);
  });

  it('shows configuration only without telemetry', () => {
    const fixture = loadFixture('bookinfo');
    const empty = buildGraph({ ...fixture, graphType: 'workload', telemetry: null, idle: false });
    expect(empty).toEqual({ nodes: [], edges: [], responseTimeGaps: [] });
    const idle = buildGraph({ ...fixture, graphType: 'workload', telemetry: null, idle: true });
    expect(idle.nodes.length).toBeGreaterThan(0);
    expect(idle.nodes.every((node) => node.isIdle && !node.isRoot)).toBe(true);
    expect(idle.edges.every((edge) => edge.isIdle)).toBe(true);
  });
});

describe('buildGraph on the recorded chaos scenario', () => {
  it('shows the plaintext caller as unknown, outside the mesh, denied by ratings', () => {
    const { nodes, edges } = build('chaos', 'workload', false);
    expect(byId(nodes, 'unknown')).toMatchObject({ kind: 'unknown', isRoot: true, isOutside: true });
    const denied = byId(edges, 'unknown->svc:default:ratings:http');
    expect(denied).toMatchObject({ mtlsPercent: 0, health: 'failure', errorRate: 0 });
    expect(denied?.responseCodes['403']).toBeCloseTo(1, 6);
  });

  it('shows the flaky reviews-v3 pod as errors behind a circuit-breaker badge', () => {
    const { nodes, edges } = build('chaos', 'versionedApp', false);
    const v3 = byId(edges, 'svc:default:reviews->vapp:default:reviews:v3:http');
    expect(v3?.errorRate).toBeGreaterThan(0);
    expect(v3?.health).not.toBe('healthy');
    expect(byId(nodes, 'svc:default:reviews')?.badges).toContain('circuitBreaker');
    expect(byId(nodes, 'box:default:reviews')?.health.status).not.toBe('healthy');
  });

  it('shows the sidecar-less MongoDB as a TCP destination outside the mesh', () => {
    const { nodes, edges } = build('chaos', 'workload', false);
    expect(byId(nodes, 'wl:default:mongodb-v1')).toMatchObject({
      isOutside: true,
      badges: ['missingSidecar'],
    });
    const tcp = byId(edges, 'wl:default:ratings-v1->svc:default:mongodb:tcp');
    expect(tcp).toMatchObject({ protocol: 'tcp', rps: 0, health: 'healthy' });
    expect(tcp?.throughput?.sentBytesPerSecond).toBeGreaterThan(0);
  });

  it('applies configured tolerances', () => {
    const strict = build('chaos', 'workload', false, {
      healthTolerances: [{ code: '4XX', protocol: 'http', direction: '.*', degraded: 10, failure: 100 }],
    });
    expect(byId(strict.edges, 'unknown->svc:default:ratings:http')?.health).toBe('failure');
    expect(byId(strict.nodes, 'wl:default:ratings-v1')?.health.status).toBe('degraded');
    expect(byId(strict.nodes, 'wl:default:reviews-v3')?.health.status).toBe('healthy');
  });
});

describe('buildGraph on a configuration it has seen', () => {
  it('gives the same graph again, and what one answer adds to its nodes stays out of the next', () => {
    const fixture = loadFixture('bookinfo');
    const input: BuildGraphInput = {
      graphType: 'versionedApp',
      namespaces: fixture.namespaces,
      config: fixture.config,
      telemetry: fixture.telemetry,
      idle: false,
    };
    const first = buildGraph(input);
    const expected = structuredClone(first);
    for (const node of first.nodes) node.badges.push('configFindings');
    // A copy of the snapshot with a new `asOf`, as the server's shared snapshot hands out.
    const again = buildGraph({ ...input, config: { ...fixture.config, asOf: new Date().toISOString() } });
    expect(again).toEqual(expected);
    expect(again.nodes.some((node) => node.badges.length > 0)).toBe(true);
  });
});
