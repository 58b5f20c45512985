import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../types/graph';
import type { ConfigSnapshot } from '../types/mesh-config';
import type { TelemetrySnapshot } from '../types/telemetry';
import { buildGraph } from './build-graph';
import { isUnregisteredCluster } from './external';
import recorded from './external.fixture.json';

/**
 * Recorded from the simulator's chaos scenario (seed 7, 60 s): default/catalog-sync-v1 calls
 * www.googleapis.com (2 req/s, ServiceEntry default/googleapis) and httpbin.org (1 req/s, no
 * ServiceEntry: PassthroughCluster under the default ALLOW_ANY), as its sidecar reports them.
 */
function fixture(): { config: ConfigSnapshot; telemetry: TelemetrySnapshot } {
  const copy = structuredClone(recorded) as unknown as {
    config: ConfigSnapshot;
    telemetry: TelemetrySnapshot;
  };
  for (const sample of copy.telemetry.durations)
    for (const bucket of sample.buckets) if (bucket.le === null) bucket.le = Number.POSITIVE_INFINITY;
  return copy;
}

function build(
  input: { config: ConfigSnapshot; telemetry: TelemetrySnapshot },
  graphType: 'workload' | 'app' | 'service' = 'workload',
  namespaces = ['default'],
) {
  return buildGraph({ graphType, namespaces, config: input.config, telemetry: input.telemetry, idle: false });
}

describe('traffic leaving the mesh on the recorded chaos scenario', () => {
  it('draws the ServiceEntry host and PassthroughCluster as nodes outside the mesh, with their edges', () => {
    const graph = build(fixture());
    const entry = graph.nodes.find((node) => node.id === 'se:default:googleapis');
    expect(entry).toMatchObject({
      kind: 'serviceentry',
      namespace: 'default',
      name: 'googleapis',
      service: 'www.googleapis.com',
      badges: ['serviceEntry'],
      isOutside: true,
    });
    const passthrough = graph.nodes.find((node) => node.id === 'svc:unknown:PassthroughCluster');
    expect(passthrough).toMatchObject({
      kind: 'service',
      namespace: 'unknown',
      name: 'PassthroughCluster',
      isOutside: true,
      health: { status: 'healthy' },
    });
    const fromCaller = graph.edges.filter((edge) => edge.source === 'wl:default:catalog-sync-v1');
    expect(
      fromCaller.map((edge) => ({
        target: edge.target,
        rps: edge.rps,
        errorRate: edge.errorRate,
        codes: edge.responseCodes,
      })),
    ).toEqual([
      { target: 'se:default:googleapis', rps: 2, errorRate: 0, codes: { '200': 2 } },
      { target: 'svc:unknown:PassthroughCluster', rps: 1, errorRate: 0, codes: { '200': 1 } },
    ]);
    // Nothing answers on the other side: the external nodes send nothing on.
    expect(
      graph.edges.filter((edge) => edge.source === entry?.id || edge.source === passthrough?.id),
    ).toEqual([]);
    // The caller is in the mesh (it has a sidecar), and in-mesh services stay inside.
    const inside = (id: string) => graph.nodes.find((node) => node.id === id)?.isOutside;
    expect(inside('wl:default:catalog-sync-v1')).toBeUndefined();
    expect(inside('svc:default:reviews')).toBeUndefined();
  });

  it('keeps the external edges in the app and service graphs, and only for the callers asked for', () => {
    const input = fixture();
    const app = build(input, 'app');
    expect(
      app.edges.filter((edge) => edge.source === 'app:default:catalog-sync').map((edge) => edge.target),
    ).toEqual(['se:default:googleapis', 'svc:unknown:PassthroughCluster']);
    const service = build(input, 'service');
    expect(service.nodes.filter(isUnregisteredCluster).map((node) => node.id)).toEqual([
      'svc:unknown:PassthroughCluster',
    ]);
    // The legacy namespace's graph has no caller of external hosts.
    const legacy = build(input, 'workload', ['legacy']);
    expect(legacy.nodes.some(isUnregisteredCluster)).toBe(false);
    expect(legacy.nodes.some((node) => node.kind === 'serviceentry')).toBe(false);
  });

  it('under REGISTRY_ONLY draws BlackHoleCluster with the refused 502s as failures', () => {
    const input = fixture();
    // What the caller's sidecar reports once the mesh config says REGISTRY_ONLY (sim/mesh/external.test.ts).
    input.telemetry.requests = input.telemetry.requests.map((sample) =>
      sample.service.name === 'PassthroughCluster'
        ? { ...sample, service: { ...sample.service, name: 'BlackHoleCluster' }, responseCode: '502' }
        : sample,
    );
    input.telemetry.durations = input.telemetry.durations.filter(
      (sample) => sample.service.name !== 'PassthroughCluster',
    );
    const graph = build(input);
    const blackhole = graph.nodes.find((node) => node.id === 'svc:unknown:BlackHoleCluster') as GraphNode;
    expect(blackhole).toMatchObject({ kind: 'service', name: 'BlackHoleCluster', isOutside: true });
    expect(blackhole.health.status).toBe('failure');
    const refused = graph.edges.find((edge) => edge.target === blackhole.id);
    expect(refused).toMatchObject({ source: 'wl:default:catalog-sync-v1', rps: 1, errorRate: 1 });
    expect(refused?.responseCodes).toEqual({ '502': 1 });
    expect(graph.nodes.some((node) => node.name === 'PassthroughCluster')).toBe(false);
  });

  it('leaves a MESH_INTERNAL ServiceEntry inside the mesh', () => {
    const input = fixture();
    for (const object of input.config.istio)
      if (object.kind === 'ServiceEntry') object.spec = { ...object.spec, location: 'MESH_INTERNAL' };
    const entry = build(input).nodes.find((node) => node.id === 'se:default:googleapis');
    expect(entry?.kind).toBe('serviceentry');
    expect(entry?.isOutside).toBeUndefined();
  });
});
