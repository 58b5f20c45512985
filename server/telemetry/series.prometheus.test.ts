/**
 * Traffic time series from a real Prometheus (Debian's package, on 127.0.0.1) scraping the chaos
 * scenario every second: `query_range` answers reduced to rate by code (the flaky reviews pod's
 * 5xx included), error rate and percentiles, and the PromQL sent.
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
import { httpPrometheusClient } from './prometheus-client';
import { PrometheusTelemetrySource } from './prometheus-source';
import { getTrafficSeries } from './series';
import { prometheusRangeClient, rangeQueries, readMatrix } from './series-prometheus';

const hasPrometheus = prometheusAvailable();

describe('range queries', () => {
  it('selects the workload by reporter and groups by what each chart needs', () => {
    const queries = rangeQueries(
      { kind: 'workload', namespace: 'default', name: 'reviews-v3', direction: 'inbound' },
      30,
    );
    expect(queries.requests).toBe(
      'sum by (response_code) (rate(istio_requests_total{reporter="destination",destination_workload="reviews-v3",destination_workload_namespace="default"}[30s]))',
    );
    expect(queries.durationBucket).toContain('sum by (le) (rate(istio_request_duration_milliseconds_bucket{');
    expect(
      rangeQueries({ kind: 'service', namespace: 'default', name: 'reviews', direction: 'inbound' }, 60)
        .tcpSentBytes,
    ).toBe(
      'sum (rate(istio_tcp_sent_bytes_total{reporter="destination",destination_service_name="reviews",destination_service_namespace="default"}[60s]))',
    );
  });

  it('reads a matrix and refuses other answers', () => {
    expect(
      readMatrix('p', {
        status: 'success',
        data: { resultType: 'matrix', result: [{ metric: { response_code: '200' }, values: [[10, '1.5']] }] },
      }),
    ).toEqual({ matrix: [{ labels: { response_code: '200' }, values: [[10, 1.5]] }], warnings: [] });
    expect(() => readMatrix('p', { status: 'error', error: 'parse error' })).toThrow(/parse error/);
    expect(() => readMatrix('p', { status: 'success', data: { resultType: 'vector', result: [] } })).toThrow(
      /matrix/,
    );
  });
});

describe.skipIf(!hasPrometheus)('traffic series from Prometheus on the chaos scenario', () => {
  let simulator: TestSimulator;
  let prometheus: RunningPrometheus;
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'meshscope-series-'));
    const configFile = join(directory, 'prometheus.yml');
    simulator = await startTestSimulator({
      scenario: 'chaos',
      tickMs: 500,
      seed: 9,
      prometheusConfig: configFile,
      scrapeIntervalSeconds: 1,
    });
    prometheus = await startPrometheus(configFile);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await simulator?.dispose();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("charts reviews-v3's inbound traffic with the flaky pod's 5xx", async () => {
    const source = new PrometheusTelemetrySource(httpPrometheusClient(prometheus.url));
    const options = {
      source: async () => source,
      hasSidecar: async () => true,
      rangeClient: () => prometheusRangeClient({ server: '', core: undefined as never }, prometheus.url),
    };
    const request = {
      kind: 'workload' as const,
      namespace: 'default',
      name: 'reviews-v3',
      direction: 'inbound' as const,
      durationSeconds: 120,
      stepSeconds: 5,
    };
    const answer = await eventually(
      async () => {
        const series = await getTrafficSeries(request, options);
        const last = series.points.at(-1);
        return last && last.rps > 0 && series.codes.some((code) => code.startsWith('5')) ? series : undefined;
      },
      60_000,
      'rates with 5xx in Prometheus',
    );
    expect(answer.source).toBe('prometheus');
    expect(answer.step).toBe(5);
    expect(answer.empty).toBeUndefined();
    const withErrors = answer.points.find((point) => (point.errorRate ?? 0) > 0);
    expect(withErrors?.p95).toBeGreaterThan(0);
    expect(answer.points.at(-1)?.responseBytesPerSecond).toBeGreaterThan(0);

    const nothing = await getTrafficSeries({ ...request, name: 'no-such-workload' }, options);
    expect(nothing.points).toEqual([]);
    expect(nothing.empty?.reason).toBe('no-history');
  }, 90_000);
});
