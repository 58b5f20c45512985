/**
 * The Prometheus source against Debian's real Prometheus scraping the simulated Bookinfo every
 * second, and the two sources side by side on the same real-time traffic: the same request rates
 * per (source workload, destination workload, response code). Also how an unreachable, slow or
 * erroring Prometheus surfaces.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '@/lib/graph/build-graph';
import { loadFixture } from '@/lib/graph/fixtures/load';
import { fillResponseTimes } from '@/lib/graph/response-time';
import { histogramQuantile } from '@/lib/telemetry/quantile';
import type { EdgeKey, TelemetrySnapshot } from '@/lib/types/telemetry';
import {
  prometheusAvailable,
  type RunningPrometheus,
  startPrometheus,
} from '@/sim/testing/prometheus-fixture';
import { eventually, startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { AppError } from '../errors';
import { DirectTelemetrySource } from './direct-source';
import { httpPrometheusClient } from './prometheus-client';
import { queryKialiShapedTelemetry } from './prometheus-kiali';
import { PrometheusTelemetrySource, queryPartDurations, queryPrometheusTelemetry } from './prometheus-source';

const hasPrometheus = prometheusAvailable();
if (!hasPrometheus)
  console.warn(
    'skipping the real-Prometheus telemetry tests: `prometheus` is not on PATH (apt-get install prometheus)',
  );

const windowSeconds = 30;

/** Request rates summed per (source workload, destination workload, response code). */
function ratesByEdge(snapshot: TelemetrySnapshot): Map<string, number> {
  const rates = new Map<string, number>();
  for (const sample of snapshot.requests) {
    const key = `${sample.source.workload} -> ${sample.destination.workload} ${sample.responseCode}`;
    rates.set(key, (rates.get(key) ?? 0) + sample.rate);
  }
  return rates;
}

describe.skipIf(!hasPrometheus)('telemetry from a real Prometheus scraping Bookinfo', () => {
  let directory: string;
  let simulator: TestSimulator;
  let prometheus: RunningPrometheus;
  let direct: DirectTelemetrySource;
  let source: PrometheusTelemetrySource;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'meshscope-telemetry-'));
    const configFile = join(directory, 'prometheus.yml');
    simulator = await startTestSimulator({
      scenario: 'bookinfo',
      tickMs: 250,
      seed: 3,
      prometheusConfig: configFile,
      scrapeIntervalSeconds: 1,
    });
    prometheus = await startPrometheus(configFile);
    const config = new KubeConfig();
    config.loadFromFile(simulator.kubeconfigs.admin);
    direct = new DirectTelemetrySource({ server: simulator.url, core: config.makeApiClient(CoreV1Api) });
    // The first snapshot starts the scrape loop; both sources collect from here on.
    await direct.snapshot({ namespaces: ['default'], windowSeconds });
    source = new PrometheusTelemetrySource(httpPrometheusClient(prometheus.url));
    await eventually(
      async () => ((await prometheus.query('istio_requests_total')).length > 0 ? true : undefined),
      20_000,
      'the first scrape',
    );
  });

  afterAll(async () => {
    direct?.close();
    await prometheus?.stop();
    await simulator?.dispose();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('makes one query per concern for all namespaces, and Prometheus accepts all three', async () => {
    const query = { namespaces: ['default', 'istio-system', 'kube-system'], windowSeconds: 10 };
    const snapshot = await eventually(async () => {
      const taken = await source.snapshot(query);
      return taken.durations.length > 0 && taken.throughput.length > 0 ? taken : undefined;
    }, 15_000);
    const queries = source.queriesOfLastSnapshot();
    expect(queries.map((entry) => entry.concern)).toEqual(['requests', 'durations', 'throughput']);
    expect(queries.every((entry) => entry.series > 0 && (entry.bytes ?? 0) > 0)).toBe(true);
    expect(snapshot.warnings).toEqual([]);
    expect(snapshot.source).toBe('prometheus');
    // The gateway (istio-system) calls productpage (default): seen once, by the destination.
    const ingress = snapshot.requests.filter((sample) => sample.source.workload === 'istio-ingressgateway');
    expect(ingress.map((sample) => sample.reporter)).toEqual(['destination']);
    expect(snapshot.requests.every((sample) => sample.reporter === 'destination')).toBe(true);
    expect(source.describe()).toMatchObject({ name: 'prometheus', target: prometheus.url, healthy: true });
  });

  it('computes the same quantiles from the bucket query as histogram_quantile does', async () => {
    const time = Date.now();
    const { snapshot } = await queryPrometheusTelemetry(
      httpPrometheusClient(prometheus.url),
      { namespaces: ['default'], windowSeconds: 10 },
      time,
    );
    const details = snapshot.durations.find((sample) => sample.destination.workload === 'details-v1');
    expect(details).toBeDefined();
    for (const q of [0.5, 0.95, 0.99]) {
      const [expected] = await prometheus.query(
        `histogram_quantile(${q}, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload="details-v1"}[10s] @ ${(time / 1000).toFixed(3)})))`,
      );
      expect(histogramQuantile(q, details?.buckets ?? [])).toBeCloseTo(expected?.value ?? Number.NaN, 9);
    }
  });

  it('asked for percentiles, gives per edge what the buckets give, in a seventh of the bytes', async () => {
    const time = Date.now();
    const client = httpPrometheusClient(prometheus.url);
    const query = { namespaces: ['default'], windowSeconds: 10 };
    const [histograms, percentiles] = await Promise.all([
      queryPrometheusTelemetry(client, query, time),
      queryPrometheusTelemetry(client, { ...query, responseTimes: 'percentiles' }, time),
    ]);
    expect(percentiles.queries.map((entry) => entry.concern)).toEqual([
      'requests',
      'throughput',
      'p50',
      'p95',
      'p99',
    ]);
    expect(percentiles.snapshot.durations).toEqual([]);
    const samples = percentiles.snapshot.responseTimes ?? [];
    expect(samples.length).toBeGreaterThanOrEqual(5);
    const key = (sample: EdgeKey) =>
      `${sample.source.workload} -> ${sample.service.fqdn} -> ${sample.destination.workload}`;
    const buckets = new Map(histograms.snapshot.durations.map((sample) => [key(sample), sample.buckets]));
    for (const sample of samples) {
      const edge = buckets.get(key(sample));
      expect(edge, key(sample)).toBeDefined();
      expect(sample.p50, key(sample)).toBeCloseTo(histogramQuantile(0.5, edge ?? []), 6);
      expect(sample.p95, key(sample)).toBeCloseTo(histogramQuantile(0.95, edge ?? []), 6);
      expect(sample.p99, key(sample)).toBeCloseTo(histogramQuantile(0.99, edge ?? []), 6);
      expect(sample.hop, key(sample)).toBe('edge');
    }
  });

  it('gives every graph edge the percentiles its buckets give, grouped per hop, for every graph type', async () => {
    const time = Date.now();
    const client = httpPrometheusClient(prometheus.url);
    const query = { namespaces: ['default'], windowSeconds: 10 };
    // The recorded Bookinfo configuration: the simulator's scenario, as the graph tests read it.
    const { config } = loadFixture('bookinfo');
    const histograms = await queryPrometheusTelemetry(client, query, time);
    for (const graphType of ['workload', 'app', 'versionedApp', 'service'] as const) {
      const percentiles = await queryPrometheusTelemetry(
        client,
        {
          ...query,
          responseTimes: 'percentiles',
          responseTimeGraph: { graphType, injectServiceNodes: true },
        },
        time,
      );
      const input = { graphType, namespaces: query.namespaces, config, idle: false };
      const exact = buildGraph({ ...input, telemetry: histograms.snapshot });
      const built = buildGraph({ ...input, telemetry: percentiles.snapshot });
      // Grouped per hop, only the service graph's merged service -> service edges need buckets.
      if (graphType !== 'service') expect(built.responseTimeGaps, graphType).toEqual([]);
      const parts = built.responseTimeGaps.flatMap((gap) => gap.keys);
      const { durations } = await queryPartDurations(client, query, parts, time);
      fillResponseTimes(built.edges, built.responseTimeGaps, durations);
      const byId = new Map(built.edges.map((edge) => [edge.id, edge.responseTime]));
      const timed = exact.edges.filter((edge) => edge.responseTime !== null);
      expect(timed.length, graphType).toBeGreaterThanOrEqual(graphType === 'service' ? 3 : 5);
      for (const edge of exact.edges) {
        const ours = byId.get(edge.id);
        if (!edge.responseTime) {
          expect(ours ?? null, `${graphType} ${edge.id}`).toBeNull();
          continue;
        }
        for (const q of ['p50', 'p95', 'p99'] as const) {
          const truth = edge.responseTime[q];
          const error = Math.abs((ours?.[q] ?? Number.NaN) - truth) / truth;
          expect(error, `${graphType} ${edge.id} ${q}`).toBeLessThan(1e-6);
        }
      }
    }
  });

  it('runs the Kiali-shaped anchor as three queries per namespace', async () => {
    const { queries, snapshot } = await queryKialiShapedTelemetry(
      httpPrometheusClient(prometheus.url),
      { namespaces: ['default', 'istio-system'], windowSeconds: 10 },
      Date.now(),
    );
    expect(queries).toHaveLength(6);
    // Kiali's outbound query counts in-namespace calls source-reported, so both reports are there.
    expect(new Set(snapshot.requests.map((sample) => sample.reporter))).toEqual(
      new Set(['source', 'destination']),
    );
  });

  it('turns a query Prometheus refuses into unavailable:prometheus with its reason', async () => {
    const error = await httpPrometheusClient(prometheus.url)
      .query('sum(', Date.now() / 1000)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unavailable:prometheus');
    expect((error as AppError).message).toMatch(/answered 400: bad_data: .*parse error/);
  });

  it('gives the same request rates per edge as direct scraping of the same mesh, within 10 %', async () => {
    const query = { namespaces: ['default'], windowSeconds };
    // Both histories must cover the window: the direct source says so; for Prometheus, its oldest
    // sample (one scrape job: the mesh) must be older than the window.
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
      20_000,
      `${windowSeconds} s of Prometheus scrapes`,
    );
    const [fromPrometheus, fromSidecars] = await Promise.all([
      source.snapshot(query),
      direct.snapshot(query),
    ]);
    const expected = ratesByEdge(fromPrometheus);
    const actual = ratesByEdge(fromSidecars);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(expected.size).toBeGreaterThanOrEqual(5);
    for (const [edge, rate] of expected) {
      expect(rate, edge).toBeGreaterThan(1);
      expect(Math.abs((actual.get(edge) ?? 0) - rate) / rate, edge).toBeLessThan(0.1);
    }
    console.info(
      'request rates per edge (Prometheus | direct):\n' +
        [...expected]
          .map(([edge, rate]) => `  ${edge}: ${rate.toFixed(2)} | ${actual.get(edge)?.toFixed(2)}`)
          .join('\n'),
    );
  }, 60_000);
});

describe('when Prometheus cannot answer', () => {
  let hanging: Server;
  let hangingUrl: string;

  beforeAll(async () => {
    // Accepts connections and never answers: a Prometheus stuck on a heavy query.
    hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  });

  async function failure(source: PrometheusTelemetrySource): Promise<AppError> {
    const error = await source
      .snapshot({ namespaces: ['default'], windowSeconds: 60 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }

  it('reports a refused connection as unavailable:prometheus and turns unhealthy', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const source = new PrometheusTelemetrySource(httpPrometheusClient(`http://127.0.0.1:${port}`));
    const error = await failure(source);
    expect(error.code).toBe('unavailable:prometheus');
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.cause).toBeDefined();
    expect(source.describe()).toMatchObject({ healthy: false, lastError: error.message });
  });

  it('gives up after the timeout', async () => {
    const started = Date.now();
    const error = await failure(
      new PrometheusTelemetrySource(httpPrometheusClient(hangingUrl, { timeoutMs: 300 })),
    );
    expect(error.code).toBe('unavailable:prometheus');
    expect(error.message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
