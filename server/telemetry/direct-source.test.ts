/**
 * The direct source against the simulated Bookinfo over real HTTPS: traffic driven tick by tick,
 * the scrape loop driven by a fake clock, the sidecars read through the API server's pod proxy.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RequestSample, TelemetrySnapshot } from '@/lib/types/telemetry';
import { simulatorRequest } from '@/sim/testing/cluster-client';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { type DirectTelemetryOptions, DirectTelemetrySource } from './direct-source';
import { FakeClock } from './fake-clock';
import type { TelemetryCluster } from './kube-calls';

function clusterFor(kubeconfig: string): TelemetryCluster {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  return { server: config.getCurrentCluster()?.server ?? '', core: config.makeApiClient(CoreV1Api) };
}

function rate(snapshot: TelemetrySnapshot, match: (sample: RequestSample) => boolean): number {
  return snapshot.requests.filter(match).reduce((sum, sample) => sum + sample.rate, 0);
}

const interval = 5_000;
const bookinfo = { namespaces: ['default'], windowSeconds: 60 };

describe('DirectTelemetrySource on Bookinfo', () => {
  let simulator: TestSimulator;
  let clock: FakeClock;
  let source: DirectTelemetrySource | undefined;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true, seed: 5 });
  });

  afterEach(() => {
    source?.close();
    source = undefined;
  });

  afterAll(async () => {
    await simulator?.dispose();
  });

  function start(options: DirectTelemetryOptions = {}, kubeconfig = simulator.kubeconfigs.admin) {
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    source = new DirectTelemetrySource(clusterFor(kubeconfig), { clock, intervalMs: interval, ...options });
    return source;
  }

  /** `seconds` of traffic, one scrape round per interval. */
  async function run(direct: DirectTelemetrySource, seconds: number) {
    for (let elapsed = 0; elapsed < seconds * 1000; elapsed += interval) {
      simulator.engine.tick(clock.now() + interval, interval / 1000);
      clock.advance(interval);
      await direct.settled();
    }
  }

  it('says it is collecting until a second scrape, then reports the traffic per edge', async () => {
    const direct = start();
    const first = await direct.snapshot(bookinfo);
    expect(first.source).toBe('direct');
    expect(first.requests).toEqual([]);
    expect(first.warnings.map((warning) => warning.message).join('\n')).toMatch(/collecting samples/);
    expect(clock.pending).toBe(1);

    await run(direct, 30);
    const partial = await direct.snapshot(bookinfo);
    expect(partial.windowSeconds).toBe(30);
    expect(partial.warnings.map((warning) => warning.message).join('\n')).toMatch(
      /rates cover the last 30 s of the 60 s/,
    );

    await run(direct, 35);
    const full = await direct.snapshot(bookinfo);
    expect(full.warnings).toEqual([]);
    expect(full.windowSeconds).toBe(60);
    // 10 pages per second enter through the gateway; each asks details and reviews once.
    const ingress = full.requests.filter((sample) => sample.source.workload === 'istio-ingressgateway');
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({
      reporter: 'destination',
      securityPolicy: 'mutual_tls',
      responseCode: '200',
    });
    expect(ingress[0]?.rate).toBeCloseTo(10, 6);
    expect(rate(full, (sample) => sample.destination.app === 'details')).toBeCloseTo(10, 6);
    expect(rate(full, (sample) => sample.destination.app === 'reviews')).toBeCloseTo(10, 6);
    // Reviews split 50/50 between v1 and v3; v3 calls ratings once per request.
    const v1 = rate(full, (sample) => sample.destination.workload === 'reviews-v1');
    const v3 = rate(full, (sample) => sample.destination.workload === 'reviews-v3');
    expect(v1).toBeGreaterThan(3.5);
    expect(v3).toBeGreaterThan(3.5);
    expect(rate(full, (sample) => sample.destination.app === 'ratings')).toBeCloseTo(v3, 6);
    expect(full.requests.every((sample) => sample.reporter === 'destination')).toBe(true);
    expect(full.durations.length).toBeGreaterThanOrEqual(5);
    expect(full.throughput.some((sample) => sample.destination.workload === 'details-v1')).toBe(true);
    expect(direct.describe()).toMatchObject({ name: 'direct', healthy: true });
  });

  it('stops scraping when nobody asks, and forgets its history', async () => {
    const direct = start({ idleMs: 20_000 });
    await direct.snapshot(bookinfo);
    await run(direct, 30);
    expect(direct.scraping).toBe(false);
    expect(clock.pending).toBe(0);
    const again = await direct.snapshot(bookinfo);
    expect(again.requests).toEqual([]);
    expect(again.warnings.map((warning) => warning.message).join('\n')).toMatch(/collecting samples/);
  });

  it('scrapes only the first proxies past its limit, and says the mesh is too large', async () => {
    const direct = start({ maxPods: 3 });
    await direct.snapshot(bookinfo);
    await run(direct, 15);
    const snapshot = await direct.snapshot(bookinfo);
    expect(snapshot.warnings.map((warning) => warning.message)).toContainEqual(
      expect.stringMatching(
        /^mesh too large for direct telemetry; configure Prometheus: 6 proxies .*only the first 3 are scraped$/,
      ),
    );
    // details, productpage and ratings sort first: reviews' proxies were not read.
    expect(rate(snapshot, (sample) => sample.destination.app === 'details')).toBeCloseTo(10, 6);
    expect(snapshot.requests.some((sample) => sample.destination.app === 'reviews')).toBe(false);
  });

  it('names a proxy it cannot scrape and still serves the others', async () => {
    // A pod with a proxy container that is not listening: Running, but the API server cannot reach it.
    await simulatorRequest(simulator, '/api/v1/namespaces/default/pods', {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'proxy-not-ready' },
        spec: {
          containers: [
            { name: 'app', image: 'app' },
            { name: 'istio-proxy', image: 'proxyv2' },
          ],
        },
      },
    });
    await simulatorRequest(simulator, '/api/v1/namespaces/default/pods/proxy-not-ready/status', {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { status: { phase: 'Running' } },
    });
    try {
      const direct = start();
      await direct.snapshot(bookinfo);
      await run(direct, 15);
      const snapshot = await direct.snapshot(bookinfo);
      expect(snapshot.warnings).toContainEqual({
        source: 'sidecars',
        message: expect.stringMatching(/^cannot scrape default\/proxy-not-ready: .*503.*connection refused/),
      });
      expect(rate(snapshot, (sample) => sample.destination.app === 'productpage')).toBeCloseTo(10, 6);
      expect(direct.describe().healthy).toBe(true);
    } finally {
      await simulatorRequest(simulator, '/api/v1/namespaces/default/pods/proxy-not-ready', {
        method: 'DELETE',
      });
    }
  });

  it('reports every proxy it may not read (no pods/proxy right) and turns unhealthy', async () => {
    const direct = start({}, simulator.kubeconfigs.viewer);
    const snapshot = await direct.snapshot(bookinfo);
    const messages = snapshot.warnings.map((warning) => warning.message);
    expect(messages.filter((message) => /^cannot scrape default\/.*forbidden/i.test(message))).toHaveLength(
      6,
    );
    expect(direct.describe()).toMatchObject({ healthy: false, lastError: 'all 6 sidecar scrapes failed' });
  });

  it('cuts windows longer than its history limit, and says so', async () => {
    const direct = start({ maxWindowSeconds: 20 });
    await direct.snapshot({ namespaces: ['default'], windowSeconds: 600 });
    await run(direct, 25);
    const snapshot = await direct.snapshot({ namespaces: ['default'], windowSeconds: 600 });
    expect(snapshot.windowSeconds).toBe(20);
    expect(snapshot.warnings.map((warning) => warning.message)).toEqual([
      'direct telemetry keeps at most 20 s of history; rates are over the last 20 s',
    ]);
    expect(rate(snapshot, (sample) => sample.destination.app === 'productpage')).toBeCloseTo(10, 6);
  });
});
