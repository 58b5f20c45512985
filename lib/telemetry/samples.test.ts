/**
 * From real sidecar scrapes to snapshot samples: the chaos scenario (a plaintext caller outside
 * the mesh, a MongoDB without sidecar, a DENY policy) driven tick by tick on a fixed clock,
 * scraped through the API server's pod proxy before and after 20 simulated seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podNames, simulatorRequest } from '@/sim/testing/cluster-client';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { parseTextFormat } from '../prometheus/text-format';
import type { RequestSample } from '../types/telemetry';
import { CounterWindow } from './counters';
import { type CounterSeries, readCounters, toRateSeries } from './exposition';
import { histogramQuantile } from './quantile';
import { everyReporterScope } from './reporters';
import { aggregateSamples, buildSamples } from './samples';
import type { RateSeries } from './series';

const start = Date.UTC(2026, 0, 1);
const seconds = 20;

async function scrapeAll(simulator: TestSimulator, namespaces: string[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const namespace of namespaces) {
    for (const pod of await podNames(simulator, namespace, '')) {
      const response = await simulatorRequest(
        simulator,
        `/api/v1/namespaces/${namespace}/pods/${pod}:15020/proxy/stats/prometheus`,
      );
      if (response.status === 200) texts.set(`${namespace}/${pod}`, response.body);
    }
  }
  return texts;
}

/** Per-pod rates between two scrapes, every pod's series, and which namespace each pod is in. */
let ratesByPod: Map<string, RateSeries[]>;

function rateSeries(namespaces: string[]): RateSeries[] {
  return [...ratesByPod.entries()]
    .filter(([pod]) => namespaces.includes(pod.split('/')[0] ?? ''))
    .flatMap(([, series]) => series);
}

function find(requests: RequestSample[], source: string, destination: string, code?: string) {
  return requests.filter(
    (sample) =>
      sample.source.workload === source &&
      sample.destination.workload === destination &&
      (code === undefined || sample.responseCode === code),
  );
}

describe('buildSamples from the chaos scenario', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 11 });
    // Warm up so every series exists before the first scrape.
    for (let tick = 0; tick < 5; tick += 1) simulator.engine.tick(start + tick * 1000, 1);
    const namespaces = ['default', 'legacy', 'istio-system'];
    const before = await scrapeAll(simulator, namespaces);
    for (let tick = 5; tick < 5 + seconds; tick += 1) simulator.engine.tick(start + tick * 1000, 1);
    const after = await scrapeAll(simulator, namespaces);
    ratesByPod = new Map();
    for (const [pod, text] of after) {
      const window = new CounterWindow(10);
      const series = new Map<string, CounterSeries>();
      for (const [time, body] of [
        [0, before.get(pod) ?? ''],
        [seconds * 1000, text],
      ] as const) {
        const counters = readCounters(parseTextFormat(body));
        for (const [key, entry] of counters.series) series.set(key, entry);
        window.add(time, counters.values);
      }
      const rates = window.rates(0);
      if (rates) ratesByPod.set(pod, toRateSeries(rates.rates, series));
    }
  });

  afterAll(async () => {
    await simulator?.dispose();
  });

  it('counts each request once: destination-reported where the destination has a sidecar', () => {
    const { requests } = buildSamples(
      rateSeries(['default', 'istio-system']),
      everyReporterScope(['default']),
    );
    const keys = requests.map(
      (sample) =>
        `${sample.source.workload}>${sample.destination.workload}>${sample.service.fqdn}>${sample.responseCode}>${sample.responseFlags}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    for (const sample of requests) {
      if (sample.destination.workload === 'unknown') expect(sample.reporter).toBe('source');
      else expect(sample.reporter).toBe('destination');
    }
    // 10 requests per second enter through the gateway, on a fixed clock: exactly 10.
    const ingress = find(requests, 'istio-ingressgateway', 'productpage-v1', '200');
    expect(ingress).toHaveLength(1);
    expect(ingress[0]?.rate).toBeCloseTo(10, 6);
    expect(ingress[0]?.securityPolicy).toBe('mutual_tls');
    expect(ingress[0]?.source.principal).toMatch(/^spiffe:\/\//);
    // Every page asks details once.
    expect(find(requests, 'productpage-v1', 'details-v1', '200')[0]?.rate).toBeCloseTo(10, 6);
  });

  it('sees callers without a sidecar only through the destination, and its denials', () => {
    const { requests } = buildSamples(rateSeries(['default']), everyReporterScope(['default']));
    const plaintext = find(requests, 'unknown', 'details-v1', '200');
    expect(plaintext).toHaveLength(1);
    expect(plaintext[0]).toMatchObject({ reporter: 'destination', securityPolicy: 'none', rate: 2 });
    expect(plaintext[0]?.source.principal).toBe('unknown');
    const denied = find(requests, 'unknown', 'ratings-v1', '403');
    expect(denied[0]?.rate).toBeCloseTo(1, 6);
  });

  it('reads TCP to a destination without sidecar from the source, in Istio directions', () => {
    const { throughput, requests } = buildSamples(rateSeries(['default']), everyReporterScope(['default']));
    const mongo = throughput.filter((sample) => sample.service.name === 'mongodb');
    expect(mongo).toHaveLength(1);
    expect(mongo[0]).toMatchObject({ protocol: 'tcp', source: { workload: 'ratings-v1' } });
    expect(mongo[0]?.destination.workload).toBe('unknown');
    expect((mongo[0]?.sentBytesPerSecond ?? 0) > 0 && (mongo[0]?.receivedBytesPerSecond ?? 0) > 0).toBe(true);
    // TCP never shows up as requests.
    expect(requests.some((sample) => sample.service.name === 'mongodb')).toBe(false);
    const http = throughput.find(
      (sample) => sample.source.workload === 'productpage-v1' && sample.destination.workload === 'details-v1',
    );
    // Request bodies are small, Bookinfo's details answers ~180 bytes.
    expect(http?.protocol).toBe('http');
    expect(http?.receivedBytesPerSecond).toBeGreaterThan(0);
    expect(http?.sentBytesPerSecond).toBeGreaterThan(0);
  });

  it('builds one cumulative histogram per edge, from which quantiles fall inside the buckets', () => {
    const { durations } = buildSamples(
      rateSeries(['default', 'istio-system']),
      everyReporterScope(['default']),
    );
    const details = durations.find(
      (sample) => sample.source.workload === 'productpage-v1' && sample.destination.workload === 'details-v1',
    );
    expect(details).toBeDefined();
    const buckets = details?.buckets ?? [];
    expect(buckets.at(-1)?.le).toBe(Number.POSITIVE_INFINITY);
    for (let index = 1; index < buckets.length; index += 1) {
      expect(buckets[index]?.le).toBeGreaterThan(buckets[index - 1]?.le ?? 0);
      expect(buckets[index]?.rate).toBeGreaterThanOrEqual(buckets[index - 1]?.rate ?? 0);
    }
    // All of details' answers (median 4 ms) come within 25 ms.
    const p50 = histogramQuantile(0.5, buckets);
    const p99 = histogramQuantile(0.99, buckets);
    expect(p50).toBeGreaterThan(1);
    expect(p50).toBeLessThan(10);
    expect(p99).toBeGreaterThanOrEqual(p50);
    expect(p99).toBeLessThanOrEqual(25);
  });

  it('falls back to source reports where the destination namespace is not read (direct scrapes)', () => {
    const { requests } = buildSamples(rateSeries(['istio-system']), {
      namespaces: new Set(['istio-system']),
      destinationReports: (namespace) => namespace === 'istio-system',
    });
    const ingress = find(requests, 'istio-ingressgateway', 'productpage-v1', '200');
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ reporter: 'source', securityPolicy: 'unknown' });
    expect(ingress[0]?.rate).toBeCloseTo(10, 6);
  });

  it('keeps both reports without the reporter choice (the Kiali-shaped anchor)', () => {
    const all = aggregateSamples(rateSeries(['default', 'istio-system']));
    const reporters = find(all.requests, 'productpage-v1', 'details-v1', '200').map(
      (sample) => sample.reporter,
    );
    expect(reporters.sort()).toEqual(['destination', 'source']);
  });
});
