/**
 * Ejection history and counters from a real Prometheus (Debian's package, on 127.0.0.1) scraping
 * the chaos scenario in real time: the range query of ejections_active and the increases of the
 * outlier and overflow counters, per caller pod and cluster, as the resilience answer shows them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  prometheusAvailable,
  type RunningPrometheus,
  startPrometheus,
} from '@/sim/testing/prometheus-fixture';
import { eventually, startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { ResourceCaches } from './cache/resource-caches';
import { getConfigSnapshot } from './config-snapshot';
import { PortForwardEnvoyAdmin } from './envoy/admin-client';
import { AppError } from './errors';
import { clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { ResilienceMonitor } from './resilience';
import {
  clusterMatcher,
  ejectionsActiveQuery,
  httpResilienceMetrics,
  readMatrix,
  stepFor,
} from './resilience-prometheus';
import { httpPrometheusClient } from './telemetry/prometheus-client';
import { PrometheusTelemetrySource } from './telemetry/prometheus-source';

const hasPrometheus = prometheusAvailable();
if (!hasPrometheus)
  console.warn(
    'skipping the Prometheus resilience suite: `prometheus` is not on PATH (apt-get install prometheus)',
  );

const v3 = 'outbound|9080|v3|reviews.default.svc.cluster.local';

describe('PromQL for resilience', () => {
  it('matches the service’s clusters only, escaped for a PromQL string', () => {
    expect(clusterMatcher('reviews.default.svc.cluster.local')).toBe(
      'cluster_name=~"outbound\\\\|[0-9]+\\\\|[^|]*\\\\|reviews\\\\.default\\\\.svc\\\\.cluster\\\\.local"',
    );
    expect(ejectionsActiveQuery('a.b.svc.cluster.local')).toMatch(
      /^max by \(namespace, pod, cluster_name\) \(envoy_cluster_outlier_detection_ejections_active\{/,
    );
    expect(stepFor(600)).toBe(5);
    expect(stepFor(86_400)).toBe(720);
  });

  it('reads a matrix and refuses other answers', () => {
    expect(
      readMatrix('p', {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: { pod: 'a' },
              values: [
                [1, '0'],
                [6, '1'],
              ],
            },
          ],
        },
      }),
    ).toEqual([
      {
        labels: { pod: 'a' },
        points: [
          [1, 0],
          [6, 1],
        ],
      },
    ]);
    expect(() => readMatrix('p', { status: 'error', error: 'bad query' })).toThrow(/bad query/);
    expect(() => readMatrix('p', { status: 'success', data: { resultType: 'vector', result: [] } })).toThrow(
      /matrix was expected/,
    );
  });
});

describe.skipIf(!hasPrometheus)('resilience history from Prometheus on the chaos scenario', () => {
  let simulator: TestSimulator;
  let prometheus: RunningPrometheus;
  let caches: ResourceCaches;
  let monitor: ResilienceMonitor;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'meshscope-resilience-'));
    const configFile = join(directory, 'prometheus.yml');
    simulator = await startTestSimulator({
      scenario: 'chaos',
      tickMs: 500,
      seed: 5,
      prometheusConfig: configFile,
      scrapeIntervalSeconds: 1,
    });
    prometheus = await startPrometheus(configFile);
    const cluster = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    caches = new ResourceCaches(cluster);
    monitor = new ResilienceMonitor({
      admin: new PortForwardEnvoyAdmin(cluster.kubeConfig),
      snapshot: (namespaces) => getConfigSnapshot(namespaces, { caches }),
      telemetry: async () => new PrometheusTelemetrySource(httpPrometheusClient(prometheus.url)),
      prometheus: () => httpResilienceMetrics(prometheus.url),
    });
  });

  afterAll(async () => {
    monitor?.close();
    await prometheus?.stop();
    await caches?.stop();
    await simulator?.dispose();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('draws the ejections of productpage’s v3 cluster from envoy_cluster_outlier_detection_*', async () => {
    const query = { namespace: 'default', service: 'reviews', windowSeconds: 60 };
    const view = await eventually(
      async () => {
        // The configuration caches may still be loading on a busy machine: ask again.
        const answer = await monitor.get(query).catch((error: unknown) => {
          if (error instanceof AppError && error.code.startsWith('unavailable')) return undefined;
          throw error;
        });
        if (!answer) return undefined;
        const series = answer.history.series.find((entry) => entry.cluster === v3);
        const ejectedAtSomePoint = series?.points.some((point) => point.ejected >= 1);
        // The counter appears at its first ejection, which increase() cannot see: wait for a
        // re-ejection after the first 15 s.
        const enforced =
          answer.overflow.counters.find((entry) => entry.cluster === v3)?.ejectionsEnforced ?? 0;
        const fromTelemetry = answer.polling.callersFrom === 'telemetry';
        return answer.history.source === 'prometheus' && ejectedAtSomePoint && enforced >= 1 && fromTelemetry
          ? answer
          : undefined;
      },
      60_000,
      'ejections in Prometheus',
    );
    expect(view.polling.callersFrom).toBe('telemetry');
    const series = view.history.series.find((entry) => entry.cluster === v3);
    expect(series?.caller.name).toMatch(/^productpage-v1-/);
    expect(view.history.stepSeconds).toBe(5);
    expect(view.overflow.source).toBe('prometheus');
    expect(view.statsEnabled).toBe(true);
  });
});
