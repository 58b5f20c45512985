/**
 * Traffic time series from the direct source against the simulator's bookinfo over real HTTPS:
 * sidecars scraped through the API server on a fake clock that the engine and the source share,
 * so a minute of traffic takes a moment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { clusterFromKubeConfig, loadKubeConfig } from '../kube/cluster';
import { DirectTelemetrySource } from './direct-source';
import { FakeClock } from './fake-clock';
import { getTrafficSeries, type SeriesRequest } from './series';

describe('traffic series from direct scrapes', () => {
  let simulator: TestSimulator;
  let clock: FakeClock;
  let source: DirectTelemetrySource;

  const series = (request: Omit<SeriesRequest, 'durationSeconds'> & { durationSeconds?: number }) =>
    getTrafficSeries(
      { durationSeconds: 300, ...request },
      {
        source: async () => source,
        nowMs: clock.now(),
        // As the configuration snapshot would say: every bookinfo workload runs the sidecar.
        hasSidecar: async (_namespace, name) => name !== 'mongodb-v1',
      },
    );

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true, seed: 7 });
    const cluster = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    // A whole minute, so steps line up with the scrapes.
    clock = new FakeClock(Math.ceil(Date.now() / 60_000) * 60_000);
    source = new DirectTelemetrySource(cluster, { clock, intervalMs: 5_000 });
  });

  afterAll(async () => {
    source?.close();
    await simulator?.dispose();
  });

  it('says there is no history before the second scrape', async () => {
    const answer = await series({
      kind: 'workload',
      namespace: 'default',
      name: 'reviews-v3',
      direction: 'inbound',
    });
    expect(answer.source).toBe('direct');
    expect(answer.points).toEqual([]);
    expect(answer.empty?.reason).toBe('no-history');
    expect(answer.empty?.message).toContain('began collecting');
  });

  it('gives per-step rates by code, latency and throughput after a minute of traffic', async () => {
    for (let second = 0; second < 90; second += 1) {
      clock.advance(1000);
      simulator.engine.tick(clock.now(), 1);
      await source.settled();
    }
    const inbound = await series({
      kind: 'workload',
      namespace: 'default',
      name: 'reviews-v3',
      direction: 'inbound',
    });
    expect(inbound.empty).toBeUndefined();
    expect(inbound.step).toBe(10);
    expect(inbound.points.length).toBeGreaterThanOrEqual(6);
    const last = inbound.points.at(-1);
    expect(last?.rps).toBeGreaterThan(0);
    expect(inbound.codes).toContain('200');
    expect(last?.byCode['200']).toBeGreaterThan(0);
    expect(last?.p50).toBeGreaterThan(0);
    expect(last?.p99 ?? 0).toBeGreaterThanOrEqual(last?.p95 ?? Number.POSITIVE_INFINITY);
    expect(last?.responseBytesPerSecond).toBeGreaterThan(0);
    expect(last?.errorRate).toBeGreaterThanOrEqual(0);
    // Points are step ends, oldest first.
    const times = inbound.points.map((point) => point.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.every((time) => time % 10_000 === 0)).toBe(true);

    const outbound = await series({
      kind: 'workload',
      namespace: 'default',
      name: 'reviews-v3',
      direction: 'outbound',
    });
    expect(outbound.points.at(-1)?.rps).toBeGreaterThan(0);

    const service = await series({
      kind: 'service',
      namespace: 'default',
      name: 'reviews',
      direction: 'inbound',
    });
    // The service's inbound is every reviews version's: more than v3 alone.
    expect(service.points.at(-1)?.rps ?? 0).toBeGreaterThan(last?.rps ?? Number.POSITIVE_INFINITY);
  });

  it('says no traffic for a workload that calls nothing, and caps the window', async () => {
    const answer = await series({
      kind: 'workload',
      namespace: 'default',
      name: 'details-v1',
      direction: 'outbound',
      durationSeconds: 3600,
    });
    expect(answer.duration).toBe(600);
    expect(answer.warnings.map((warning) => warning.message).join(' ')).toContain('600 s');
    expect(answer.empty?.reason).toBe('no-traffic');
    expect(answer.points.every((point) => point.rps === 0)).toBe(true);
  });

  it('says when the workload has no sidecar rather than no traffic', async () => {
    const answer = await series({
      kind: 'workload',
      namespace: 'default',
      name: 'mongodb-v1',
      direction: 'inbound',
    });
    expect(answer.empty?.reason).toBe('no-sidecar');
    expect(answer.empty?.message).toContain('without the istio-proxy sidecar');
  });
});
