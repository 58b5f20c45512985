/**
 * The resilience view against the simulator's chaos scenario over real HTTPS: the DestinationRule
 * read from the caches, callers found by the direct telemetry source, their Envoys' `/clusters`
 * and stats read through port-forwards. Traffic is driven tick by tick on a fake clock that the
 * engine, the telemetry source and the poll loop share, so Envoy's state and our bookkeeping
 * agree on the time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerCluster, ResilienceResponse } from '@/lib/types/resilience';
import { podNames, simulatorRequest } from '@/sim/testing/cluster-client';
import { eventually, startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { ResourceCaches } from './cache/resource-caches';
import { getConfigSnapshot } from './config-snapshot';
import { PortForwardEnvoyAdmin } from './envoy/admin-client';
import { AppError } from './errors';
import { type Cluster, clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { ResilienceMonitor } from './resilience';
import { DirectTelemetrySource } from './telemetry/direct-source';
import { FakeClock } from './telemetry/fake-clock';

const intervalMs = 5_000;
const query = { namespace: 'default', service: 'reviews', windowSeconds: 600 };
const v3 = 'outbound|9080|v3|reviews.default.svc.cluster.local';

async function mergePatch(simulator: TestSimulator, path: string, body: unknown): Promise<void> {
  const response = await simulatorRequest(simulator, path, {
    method: 'PATCH',
    body,
    contentType: 'application/merge-patch+json',
  });
  expect(response.status, response.body).toBe(200);
}

function clusterOf(view: ResilienceResponse, workload: string, name: string): CallerCluster {
  const found = view.callers
    .find((caller) => caller.workload === workload)
    ?.clusters.find((cluster) => cluster.name === name);
  if (!found) throw new Error(`no ${name} in ${workload}'s view`);
  return found;
}

describe('ResilienceMonitor on the chaos scenario', () => {
  let simulator: TestSimulator;
  let cluster: Cluster;
  let caches: ResourceCaches;
  let clock: FakeClock;
  let source: DirectTelemetrySource;
  let monitor: ResilienceMonitor;
  let flaky: string;

  /** Simulated seconds: the clock moves (polls and scrapes fall due), then the mesh ticks. */
  async function advance(seconds: number, traffic = true): Promise<void> {
    for (let second = 0; second < seconds; second += 1) {
      clock.advance(1000);
      simulator.engine.tick(clock.now(), traffic ? 1 : 0);
      await monitor.settled();
      await source.settled();
    }
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
    const pods = JSON.parse(
      (await simulatorRequest(simulator, '/api/v1/namespaces/default/pods?labelSelector=app%3Dreviews')).body,
    ) as { items: { metadata: { name: string; annotations?: Record<string, string> } }[] };
    flaky =
      pods.items.find((pod) => pod.metadata.annotations?.['simulator.meshscope.io/error-rate'] !== undefined)
        ?.metadata.name ?? '';
  });

  afterAll(async () => {
    monitor?.close();
    source?.close();
    await caches?.stop();
    await simulator?.dispose();
  });

  it('explains the reviews DestinationRule and polls the namespace before any traffic', async () => {
    const view = await monitor.get(query);
    expect(view.service).toEqual({
      namespace: 'default',
      name: 'reviews',
      fqdn: 'reviews.default.svc.cluster.local',
      ports: [9080],
    });
    expect(view.polling.callersFrom).toBe('namespace');
    expect(view.callers.map((caller) => caller.workload)).toContain('productpage-v1');
    expect(view.callers.map((caller) => caller.workload)).not.toContain('reviews-v3');
    const [rule] = view.policies;
    expect(rule?.rule?.name).toBe('reviews');
    const v3Policy = rule?.clusters.find((entry) => entry.subset === 'v3');
    expect(v3Policy?.outlierDetection.value).toMatchObject({
      consecutive5xxErrors: 3,
      intervalMs: 5_000,
      baseEjectionTimeMs: 15_000,
      maxEjectionPercent: 100,
    });
    expect(v3Policy?.explanation.join(' ')).toContain('2 of 2');
    expect(clusterOf(view, 'productpage-v1', v3)).toMatchObject({ total: 2, ejected: 0 });
    expect(view.summary.text).toBe('all 4 pods are in service');
    // productpage's proxy emits the outlier stats (other sidecars of the namespace may not).
    expect(view.callers.find((caller) => caller.workload === 'productpage-v1')?.statsEnabled).toBe(true);
  });

  it('shows the flaky reviews-v3 pod ejected by productpage, against maxEjectionPercent, with its return time', async () => {
    await advance(10);
    const view = await monitor.get(query);
    expect(view.polling.callersFrom).toBe('telemetry');
    expect(view.callers.map((caller) => caller.workload)).toEqual(['productpage-v1']);
    const seen = clusterOf(view, 'productpage-v1', v3);
    expect(seen).toMatchObject({
      total: 2,
      ejected: 1,
      maxEjectionPercent: 100,
      maxEjectable: 2,
      atEjectionLimit: false,
    });
    const host = seen.hosts.find((candidate) => candidate.state === 'ejected');
    expect(host?.pod?.name).toBe(flaky);
    expect(host?.flags).toEqual(['failed_outlier_check']);
    expect(host?.stats.errors).toBeGreaterThanOrEqual(3);
    // Polling began before any ejection: the first one is known to be the first, 15 s × 1.
    const ejection = host?.ejection;
    expect(ejection?.count).toBe(1);
    const seenAt = Date.parse(ejection?.seenAt ?? '');
    expect(Date.parse(ejection?.returnLatest ?? '')).toBe(seenAt + 15_000 + intervalMs);
    expect(Date.parse(ejection?.returnEarliest ?? '')).toBe(Date.parse(ejection?.after ?? '') + 15_000);
    expect(view.summary).toMatchObject({ pods: 4, ejectedPods: 1, text: '1 of 4 pods ejected' });
    expect(view.pods.find((pod) => pod.pod.name === flaky)).toMatchObject({
      state: 'ejected',
      ejectedBy: 1,
      seenBy: 1,
      subsets: ['v3'],
    });
    expect(view.history.source).toBe('polls');
    expect(view.history.events).toEqual([
      expect.objectContaining({
        cluster: v3,
        pod: { namespace: 'default', name: flaky },
        end: null,
        ejections: 1,
      }),
    ]);
    const series = view.history.series.find((entry) => entry.cluster === v3);
    expect(series?.points.at(0)?.ejected).toBe(0);
    expect(series?.points.at(-1)?.ejected).toBe(1);
    const counters = view.overflow.counters.find((entry) => entry.cluster === v3);
    expect(counters?.ejectionsEnforced).toBeGreaterThanOrEqual(1);
    expect(view.overflow.source).toBe('polls');

    // No more traffic: Envoy lets the pod back at its first check after 15 s, and a poll sees it.
    await advance(25, false);
    const later = await monitor.get(query);
    expect(clusterOf(later, 'productpage-v1', v3).ejected).toBe(0);
    const [event] = later.history.events;
    const end = Date.parse(event?.end ?? '');
    expect(end).toBeGreaterThanOrEqual(Date.parse(ejection?.returnEarliest ?? ''));
    expect(end).toBeLessThanOrEqual(Date.parse(ejection?.returnLatest ?? '') + intervalMs);
    expect(later.summary.text).toBe('all 4 pods are in service');
  });

  it('shows overflow and UO when http1MaxPendingRequests is lowered under load', async () => {
    await mergePatch(simulator, '/apis/networking.istio.io/v1/namespaces/default/destinationrules/reviews', {
      spec: {
        trafficPolicy: {
          connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } },
        },
      },
    });
    const [gateway = ''] = await podNames(simulator, 'istio-system', 'app=istio-ingressgateway');
    await mergePatch(simulator, `/api/v1/namespaces/istio-system/pods/${gateway}`, {
      metadata: {
        annotations: {
          // The simulator's load generator: 1,000 requests per second into the ingress gateway.
          'simulator.meshscope.io/generate': JSON.stringify([
            {
              host: 'bookinfo.example.com',
              port: 9080,
              path: '/productpage',
              rps: 1000,
              gateway: 'default/bookinfo-gateway',
            },
          ]),
        },
      },
    });
    await eventually(async () => {
      const view = await monitor.get(query);
      const pool = view.policies[0]?.clusters[0]?.connectionPool.value;
      return pool?.http1MaxPendingRequests === 1 ? view : undefined;
    });
    await advance(10);
    const view = await monitor.get(query);
    const v1 = view.policies[0]?.clusters.find((entry) => entry.subset === 'v1');
    expect(v1?.connectionPool.value).toMatchObject({ maxConnections: 1, http1MaxPendingRequests: 1 });
    expect(v1?.guidance.map((entry) => entry.field)).toContain('connectionPool.http.http1MaxPendingRequests');
    expect(
      clusterOf(view, 'productpage-v1', 'outbound|9080|v1|reviews.default.svc.cluster.local')
        .circuitBreakers[0],
    ).toMatchObject({ priority: 'default', maxConnections: 1, maxPendingRequests: 1 });
    expect(view.overflow.totals.pendingOverflow).toBeGreaterThan(0);
    expect(view.overflow.totals.uo).toBeGreaterThan(0);
    expect(view.overflow.responses).toContainEqual(
      expect.objectContaining({
        source: { namespace: 'default', workload: 'productpage-v1' },
        flag: 'UO',
        responseCode: '503',
      }),
    );
  });

  it('says when the callers do not emit the stats, and which annotation turns them on', async () => {
    const [productpage = ''] = await podNames(simulator, 'default', 'app=productpage');
    await mergePatch(simulator, `/api/v1/namespaces/default/pods/${productpage}`, {
      metadata: { annotations: { 'proxy.istio.io/config': '{}' } },
    });
    const view = await eventually(async () => {
      const answer = await monitor.get(query);
      return answer.statsEnabled ? undefined : answer;
    });
    expect(view.stats.missing).toEqual([{ namespace: 'default', workload: 'productpage-v1' }]);
    expect(view.stats.annotation.name).toBe('proxy.istio.io/config');
    expect(JSON.parse(view.stats.annotation.value).proxyStatsMatcher.inclusionRegexps).toContain(
      '.*outlier_detection.*',
    );
    expect(view.stats.advice).toContain('default/productpage-v1');
    expect(view.polling.requestsPerRound).toBe(1);
  });

  it('answers not-found for a service that does not exist', async () => {
    await expect(monitor.get({ ...query, service: 'nope' })).rejects.toSatisfy(
      (error) => error instanceof AppError && error.code === 'not-found',
    );
  });

  it('stops polling when nobody asks any more', async () => {
    expect(monitor.watching).toBeGreaterThan(0);
    await advance(65, false);
    expect(monitor.watching).toBe(0);
  });
});
