import { describe, expect, it } from 'vitest';
import type { RateSeries } from '../telemetry/series';
import { codesOf, pointOf, ratesFromHistory, selectorLabels, stepEnds } from './series';

const inbound = { kind: 'workload', namespace: 'default', name: 'reviews-v3', direction: 'inbound' } as const;
const to = {
  reporter: 'destination',
  destination_workload: 'reviews-v3',
  destination_workload_namespace: 'default',
};

describe('pointOf', () => {
  it('reduces the selector’s series to rate by code, error rate, percentiles and throughput', () => {
    const series: RateSeries[] = [
      { metric: 'requests', labels: { ...to, response_code: '200' }, rate: 9 },
      { metric: 'requests', labels: { ...to, response_code: '503' }, rate: 1 },
      // Another workload's and the source reporter's series are ignored.
      {
        metric: 'requests',
        labels: { ...to, destination_workload: 'reviews-v1', response_code: '200' },
        rate: 50,
      },
      { metric: 'requests', labels: { ...to, reporter: 'source', response_code: '200' }, rate: 50 },
      { metric: 'durationBucket', labels: { ...to, le: '10' }, rate: 5 },
      { metric: 'durationBucket', labels: { ...to, le: '100' }, rate: 10 },
      { metric: 'durationBucket', labels: { ...to, le: '+Inf' }, rate: 10 },
      { metric: 'requestBytes', labels: to, rate: 300 },
      { metric: 'responseBytes', labels: to, rate: 5000 },
      { metric: 'tcpSentBytes', labels: to, rate: 100 },
    ];
    const point = pointOf(1000, series, inbound);
    expect(point).toMatchObject({
      time: 1000,
      rps: 10,
      byCode: { '200': 9, '503': 1 },
      errorRate: 0.1,
      p50: 10,
      requestBytesPerSecond: 300,
      responseBytesPerSecond: 5100,
    });
    // rank 9.5 of 10 falls in (10, 100]: 10 + 90 × (9.5 − 5) / 5
    expect(point.p95).toBeCloseTo(91, 5);
    expect(codesOf([point, pointOf(0, [], inbound)])).toEqual(['200', '503']);
    expect(pointOf(0, [], inbound)).toMatchObject({ rps: 0, errorRate: null, p95: null });
  });

  it('picks source-reported series for outbound and the service labels for a service', () => {
    expect(selectorLabels({ ...inbound, direction: 'outbound' })).toEqual({
      reporter: 'source',
      source_workload: 'reviews-v3',
      source_workload_namespace: 'default',
    });
    expect(
      selectorLabels({ kind: 'service', namespace: 'default', name: 'reviews', direction: 'inbound' }),
    ).toEqual({
      reporter: 'destination',
      destination_service_name: 'reviews',
      destination_service_namespace: 'default',
    });
  });
});

describe('ratesFromHistory', () => {
  it('differences cumulative values across each step and skips steps without two scrapes', () => {
    // One series counting 2 per second, scraped every 5 s from t=10 s.
    const times = [10_000, 15_000, 20_000, 25_000, 30_000];
    const values = times.map((time) => (time / 1000) * 2);
    const ends = stepEnds(30_000, 30, 10);
    expect(ends).toEqual([10_000, 20_000, 30_000]);
    const rates = ratesFromHistory(times, (scrape) => values[scrape] ?? 0, 1, ends, 10_000);
    expect(rates.map((entry) => [entry.time, entry.rates[0]])).toEqual([
      [20_000, 2],
      [30_000, 2],
    ]);
  });
});
