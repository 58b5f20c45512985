/**
 * Counter windows over real sidecar counters: Bookinfo's productpage proxy scraped through the
 * API server at fixed simulated times, including its very first scrape (no series yet) and a
 * restart derived from real values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podNames, simulatorRequest } from '@/sim/testing/cluster-client';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { parseTextFormat } from '../prometheus/text-format';
import { CounterWindow } from './counters';
import { readCounters, type ScrapedCounters } from './exposition';
import { seriesKey } from './series';

const start = Date.UTC(2026, 0, 1);

describe('CounterWindow', () => {
  let simulator: TestSimulator;
  /** productpage's counters before any traffic, after 10 s and after 30 s of traffic */
  let scrapes: ScrapedCounters[];
  /** the series of requests from the gateway into productpage (destination-reported, 200) */
  let ingressKey: string;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true, seed: 3 });
    const [pod] = await podNames(simulator, 'default', 'app=productpage');
    const scrape = async () => {
      const response = await simulatorRequest(
        simulator,
        `/api/v1/namespaces/default/pods/${pod}:15020/proxy/stats/prometheus`,
      );
      return readCounters(parseTextFormat(response.body));
    };
    scrapes = [await scrape()];
    for (let tick = 0; tick < 30; tick += 1) {
      simulator.engine.tick(start + tick * 1000, 1);
      if (tick === 9) scrapes.push(await scrape());
    }
    scrapes.push(await scrape());
    const key = [...(scrapes[1]?.series.entries() ?? [])].find(
      ([, series]) =>
        series.metric === 'requests' &&
        series.labels.reporter === 'destination' &&
        series.labels.source_workload === 'istio-ingressgateway' &&
        series.labels.response_code === '200',
    )?.[0];
    ingressKey = key ?? '';
  });

  afterAll(async () => {
    await simulator?.dispose();
  });

  it('reads only the counters it uses, with only the labels it keeps', () => {
    const [, first] = scrapes;
    const metrics = new Set([...(first?.series.values() ?? [])].map((series) => series.metric));
    expect([...metrics].sort()).toEqual(['durationBucket', 'requestBytes', 'requests', 'responseBytes']);
    const labels = first?.series.get(ingressKey)?.labels ?? {};
    expect(labels.source_app).toBeUndefined();
    expect(labels.destination_cluster).toBeUndefined();
    expect(ingressKey).toBe(seriesKey('requests', labels));
    expect(first?.values.get(ingressKey)).toBe(100);
  });

  it('rates series that appeared after the first scrape from zero', () => {
    const window = new CounterWindow(10);
    expect(scrapes[0]?.values.size).toBe(0);
    window.add(start, scrapes[0]?.values ?? new Map());
    expect(window.rates(start)).toBeUndefined();
    window.add(start + 10_000, scrapes[1]?.values ?? new Map());
    const rates = window.rates(start);
    expect(rates?.spanSeconds).toBe(10);
    expect(rates?.rates.get(ingressKey)).toBe(10);
  });

  it('treats a first scrape as a baseline, and picks the scrapes inside the window', () => {
    const window = new CounterWindow(10);
    window.add(start + 10_000, scrapes[1]?.values ?? new Map());
    window.add(start + 30_000, scrapes[2]?.values ?? new Map());
    expect(window.rates(start)?.rates.get(ingressKey)).toBe(10);
    // Only the last scrape is inside a 5 s window: no rate.
    expect(window.rates(start + 25_000)).toBeUndefined();
    expect(window.size).toBe(2);
  });

  it('counts across a proxy restart (the counter went down)', () => {
    const [, tenSeconds, thirtySeconds] = scrapes;
    const before = tenSeconds?.values.get(ingressKey) ?? 0;
    const after = thirtySeconds?.values.get(ingressKey) ?? 0;
    // The proxy restarted after the 30 s scrape and served 40 requests before the next one.
    const restarted = new Map(thirtySeconds?.values);
    restarted.set(ingressKey, 40);
    const window = new CounterWindow(10);
    window.add(start + 10_000, tenSeconds?.values ?? new Map());
    window.add(start + 30_000, thirtySeconds?.values ?? new Map());
    window.add(start + 40_000, restarted);
    expect(window.rates(start)?.rates.get(ingressKey)).toBe((after - before + 40) / 30);
  });

  it('keeps a bounded number of scrapes, and a repeated instant replaces the earlier scrape', () => {
    const window = new CounterWindow(2);
    window.add(start, scrapes[0]?.values ?? new Map());
    window.add(start + 10_000, scrapes[1]?.values ?? new Map());
    window.add(start + 30_000, scrapes[2]?.values ?? new Map());
    expect(window.size).toBe(2);
    expect(window.rates(start)?.spanSeconds).toBe(20);
    window.add(start + 30_000, scrapes[2]?.values ?? new Map());
    expect(window.size).toBe(2);
    expect(window.lastTime).toBe(start + 30_000);
    expect(window.rates(start)?.rates.get(ingressKey)).toBe(10);
  });
});
