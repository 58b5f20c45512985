/**
 * Traffic leaving the mesh, read by both telemetry sources from the same real-time chaos mesh:
 * Debian's real Prometheus scraping the simulator every second, and direct scrapes of the
 * sidecars. Both must give the graph the same external edges — catalog-sync-v1 to the
 * ServiceEntry default/googleapis and to PassthroughCluster — at the same rates (within 10 %), and
 * the service entries' traffic summary the same hosts and clusters.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalTraffic, isUnregistered } from '@/lib/gateways/gateways';
import { buildGraph } from '@/lib/graph/build-graph';
import type { ConfigSnapshot } from '@/lib/types/mesh-config';
import type { TelemetrySnapshot } from '@/lib/types/telemetry';
import {
  prometheusAvailable,
  type RunningPrometheus,
  startPrometheus,
} from '@/sim/testing/prometheus-fixture';
import { eventually, startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { ResourceCaches } from './cache/resource-caches';
import { getConfigSnapshot } from './config-snapshot';
import { clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { DirectTelemetrySource } from './telemetry/direct-source';
import { httpPrometheusClient } from './telemetry/prometheus-client';
import { PrometheusTelemetrySource } from './telemetry/prometheus-source';

const hasPrometheus = prometheusAvailable();
const windowSeconds = 20;
const caller = 'wl:default:catalog-sync-v1';

/** The caller's edges out of the mesh, by target, with their request rates. */
function externalEdges(config: ConfigSnapshot, telemetry: TelemetrySnapshot): Map<string, number> {
  const { edges } = buildGraph({
    graphType: 'workload',
    namespaces: ['default'],
    config,
    telemetry,
    idle: false,
  });
  return new Map(edges.filter((edge) => edge.source === caller).map((edge) => [edge.target, edge.rps]));
}

describe.skipIf(!hasPrometheus)('external traffic from Prometheus and from the sidecars', () => {
  let directory: string;
  let simulator: TestSimulator;
  let prometheus: RunningPrometheus;
  let caches: ResourceCaches;
  let direct: DirectTelemetrySource;
  let source: PrometheusTelemetrySource;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'meshscope-external-'));
    const configFile = join(directory, 'prometheus.yml');
    simulator = await startTestSimulator({
      scenario: 'chaos',
      tickMs: 250,
      seed: 3,
      prometheusConfig: configFile,
      scrapeIntervalSeconds: 1,
    });
    prometheus = await startPrometheus(configFile);
    const admin = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    caches = new ResourceCaches(admin);
    direct = new DirectTelemetrySource(admin);
    // The first snapshot starts the scrape loop; both sources collect from here on.
    await direct.snapshot({ namespaces: ['default'], windowSeconds });
    source = new PrometheusTelemetrySource(httpPrometheusClient(prometheus.url));
  });

  afterAll(async () => {
    direct?.close();
    await caches?.stop();
    await prometheus?.stop();
    await simulator?.dispose();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('gives the same edges to the ServiceEntry and to PassthroughCluster, at the same rates', async () => {
    const query = { namespaces: ['default'], windowSeconds };
    await eventually(
      async () => ((await direct.snapshot(query)).warnings.length === 0 ? true : undefined),
      50_000,
      `${windowSeconds} s of direct scrapes`,
    );
    await eventually(
      async () => {
        const covered = await prometheus.query(
          `time() - min_over_time(timestamp(up)[${windowSeconds + 10}s:1s]) > ${windowSeconds + 1}`,
        );
        return covered.length > 0 ? true : undefined;
      },
      30_000,
      `${windowSeconds} s of Prometheus scrapes`,
    );
    const { snapshot: config } = await getConfigSnapshot(['default', 'istio-system'], { caches });
    const [fromPrometheus, fromSidecars] = await Promise.all([
      source.snapshot(query),
      direct.snapshot(query),
    ]);

    const expected = externalEdges(config, fromPrometheus);
    const actual = externalEdges(config, fromSidecars);
    expect([...expected.keys()].sort()).toEqual(['se:default:googleapis', 'svc:unknown:PassthroughCluster']);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    // 2 req/s to the Google Books API, 1 req/s to httpbin.org
    expect(expected.get('se:default:googleapis')).toBeCloseTo(2, 0);
    expect(expected.get('svc:unknown:PassthroughCluster')).toBeCloseTo(1, 0);
    for (const [target, rate] of expected)
      expect(Math.abs((actual.get(target) ?? 0) - rate) / rate, target).toBeLessThan(0.1);

    const unregistered = (telemetry: TelemetrySnapshot) =>
      externalTraffic(telemetry.requests, isUnregistered).map(({ source: from, host, cluster }) => ({
        from,
        host,
        cluster,
      }));
    expect(unregistered(fromPrometheus)).toEqual([
      {
        from: { namespace: 'default', workload: 'catalog-sync-v1' },
        host: 'httpbin.org',
        cluster: 'PassthroughCluster',
      },
    ]);
    expect(unregistered(fromSidecars)).toEqual(unregistered(fromPrometheus));
  }, 90_000);
});
