/**
 * Denied edges on the graph against the simulated `chaos` mesh: the graph built from direct
 * telemetry, its edges marked by the authorization evaluator, compared with what the simulator's
 * traffic engine did (403 to the plaintext caller on ratings, 200 on details).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '@/lib/graph/build-graph';
import { withEdgeDenials } from '@/lib/security/graph-denials';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { ResourceCaches } from './cache/resource-caches';
import { getConfigSnapshot } from './config-snapshot';
import { clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { DirectTelemetrySource } from './telemetry/direct-source';
import { FakeClock } from './telemetry/fake-clock';

const INTERVAL_MS = 5_000;

describe('denied edges on the graph, chaos scenario', () => {
  let simulator: TestSimulator;
  let caches: ResourceCaches;
  let clock: FakeClock;
  let direct: DirectTelemetrySource;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 5 });
    const admin = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    caches = new ResourceCaches(admin);
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    direct = new DirectTelemetrySource(admin, { clock, intervalMs: INTERVAL_MS });
    await direct.snapshot({ namespaces: ['default', 'legacy'], windowSeconds: 60 });
    await getConfigSnapshot(undefined, { caches });
  });
  afterAll(async () => {
    direct?.close();
    await caches?.stop();
    await simulator?.dispose();
  });

  it.each(['versionedApp', 'workload'] as const)(
    'marks the plaintext caller’s edge to ratings as denied by the DENY policy (%s graph)',
    async (graphType) => {
      for (let elapsed = 0; elapsed < 30_000; elapsed += INTERVAL_MS) {
        simulator.engine.tick(clock.now() + INTERVAL_MS, INTERVAL_MS / 1000);
        clock.advance(INTERVAL_MS);
        await direct.settled();
      }
      const telemetry = await direct.snapshot({ namespaces: ['default', 'legacy'], windowSeconds: 60 });
      const { snapshot } = await getConfigSnapshot(['default', 'legacy', 'istio-system'], { caches });
      const { nodes, edges } = buildGraph({
        graphType,
        namespaces: ['default'],
        config: snapshot,
        telemetry,
        idle: false,
      });
      const marked = withEdgeDenials(nodes, edges, snapshot);
      const name = (id: string) => nodes.find((node) => node.id === id)?.name;
      const denied = marked.filter((edge) => edge.authz);
      expect(denied.length).toBeGreaterThan(0);
      for (const edge of denied) {
        // Only the plaintext caller is denied, and configuration agrees with the engine's 403s.
        expect(name(edge.source)).toBe('unknown');
        expect(['ratings', 'ratings-v1']).toContain(name(edge.target));
        expect(edge.authz).toMatchObject({
          decision: 'DENY',
          stage: 'authorization',
          policy: { kind: 'AuthorizationPolicy', namespace: 'default', name: 'ratings-deny-plaintext' },
          rule: 0,
        });
        expect(edge.authz?.deniedRps).toBeCloseTo(edge.responseCodes['403'] ?? 0);
      }
      const toDetails = marked.filter(
        (edge) =>
          name(edge.source) === 'unknown' && ['details', 'details-v1'].includes(name(edge.target) ?? ''),
      );
      expect(toDetails.length).toBeGreaterThan(0);
      for (const edge of toDetails) {
        expect(edge.responseCodes['200'] ?? 0).toBeGreaterThan(0);
        expect(edge.authz).toBeUndefined();
      }
    },
  );
});
