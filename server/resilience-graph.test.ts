/**
 * Ejections on the graph against the chaos scenario: the graph built from direct telemetry, the
 * flaky reviews-v3 pod ejected in productpage's Envoy read through a port-forward, on a fake clock
 * that the engine, the telemetry source and the poll loop share.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '@/lib/graph/build-graph';
import { applyFindHide } from '@/lib/graph/find-hide';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { ResourceCaches } from './cache/resource-caches';
import { getConfigSnapshot } from './config-snapshot';
import { PortForwardEnvoyAdmin } from './envoy/admin-client';
import { type Cluster, clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { ResilienceMonitor } from './resilience';
import { withEjections } from './resilience-graph';
import { DirectTelemetrySource } from './telemetry/direct-source';
import { FakeClock } from './telemetry/fake-clock';

const intervalMs = 5_000;

describe('ejections on the graph, chaos scenario', () => {
  let simulator: TestSimulator;
  let cluster: Cluster;
  let caches: ResourceCaches;
  let clock: FakeClock;
  let source: DirectTelemetrySource;
  let monitor: ResilienceMonitor;

  async function advance(seconds: number): Promise<void> {
    for (let second = 0; second < seconds; second += 1) {
      clock.advance(1000);
      simulator.engine.tick(clock.now(), 1);
      await monitor.settled();
      await source.settled();
    }
  }

  async function graph(graphType: 'workload' | 'versionedApp') {
    const telemetry = await source.snapshot({ namespaces: ['default', 'legacy'], windowSeconds: 60 });
    const { snapshot } = await getConfigSnapshot(['default', 'legacy', 'istio-system'], { caches });
    const built = buildGraph({
      graphType,
      namespaces: ['default'],
      config: snapshot,
      telemetry,
      idle: false,
    });
    return { ...(await withEjections(built.nodes, snapshot, telemetry, monitor)), edges: built.edges };
  }

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 11 });
    cluster = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    caches = new ResourceCaches(cluster);
    clock = new FakeClock(Date.now());
    source = new DirectTelemetrySource(cluster, { clock, intervalMs });
    monitor = new ResilienceMonitor(
      {
        admin: new PortForwardEnvoyAdmin(cluster.kubeConfig),
        snapshot: (namespaces) => getConfigSnapshot(namespaces, { caches }),
        telemetry: async () => source,
        clock,
      },
      { intervalMs, idleMs: 60_000 },
    );
  });

  afterAll(async () => {
    monitor?.close();
    source?.close();
    await caches?.stop();
    await simulator?.dispose();
  });

  it('marks the reviews service and the reviews-v3 workload with the ejected pod, polling only productpage', async () => {
    // The direct source scrapes once someone asks for a snapshot.
    await graph('workload');
    await advance(12);
    // The first graph starts watching reviews (the only service with outlier detection).
    await graph('workload');
    expect(monitor.watching).toBe(1);
    // 90 % errors: ejected within a few seconds, out 15 s, and soon ejected again; look until it is out.
    let built = await graph('workload');
    for (let second = 0; second < 40; second += 1) {
      if (built.nodes.find((node) => node.id === 'wl:default:reviews-v3')?.ejection?.ejected === 1) break;
      await advance(1);
      built = await graph('workload');
    }
    const { nodes, edges, warnings } = built;
    expect(warnings).toEqual([]);
    const byId = new Map(nodes.map((node) => [node.id, node]));
    expect(byId.get('svc:default:reviews')?.ejection).toEqual({
      ejected: 1,
      total: 4,
      text: '1 of 4 pods ejected',
    });
    expect(byId.get('wl:default:reviews-v3')?.ejection).toEqual({
      ejected: 1,
      total: 2,
      text: '1 of 2 pods ejected',
    });
    expect(byId.get('wl:default:reviews-v1')?.ejection).toEqual({
      ejected: 0,
      total: 1,
      text: 'the pod is in service',
    });
    // Services without outlier detection are neither polled nor marked.
    expect(byId.get('svc:default:ratings')?.ejection).toBeUndefined();
    const found = applyFindHide({ nodes, edges }, 'ejected', '');
    expect(found.errors).toEqual({});
    expect([...found.found].sort()).toEqual(['svc:default:reviews', 'wl:default:reviews-v3']);
  });

  it('marks versioned app nodes too, and stays within the caller budget', async () => {
    const { nodes } = await graph('versionedApp');
    const v3 = nodes.find((node) => node.kind === 'app' && node.app === 'reviews' && node.version === 'v3');
    // Same moment as the workload graph above: the same pod is out.
    expect(v3?.ejection?.text).toBe('1 of 2 pods ejected');
    const telemetry = await source.snapshot({ namespaces: ['default'], windowSeconds: 60 });
    const { snapshot } = await getConfigSnapshot(['default'], { caches });
    const capped = await monitor.graphEjections(snapshot, telemetry.requests, snapshot.services, 0);
    expect(capped.byService.size).toBe(0);
    expect(capped.skipped).toBe(1);
  });
});
