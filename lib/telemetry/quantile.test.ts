/**
 * histogramQuantile against PromQL's classic-histogram rules. The comparison with a real
 * Prometheus on the same simulated traffic is in server/telemetry/prometheus-source.test.ts; these
 * cases pin the interpolation and every special case of `bucketQuantile` by hand.
 */
import { describe, expect, it } from 'vitest';
import { histogramQuantile } from './quantile';

const inf = Number.POSITIVE_INFINITY;
const buckets = [
  { le: 0.1, rate: 5 },
  { le: 0.2, rate: 7 },
  { le: inf, rate: 10 },
];

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket holding the rank, from 0 in the first', () => {
    expect(histogramQuantile(0.25, buckets)).toBeCloseTo(0.05, 12);
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.1, 12);
    expect(histogramQuantile(0.6, buckets)).toBeCloseTo(0.15, 12);
    expect(histogramQuantile(0, buckets)).toBe(0);
  });

  it('answers the highest finite bound when the rank is in +Inf', () => {
    expect(histogramQuantile(0.9, buckets)).toBe(0.2);
    expect(histogramQuantile(1, buckets)).toBe(0.2);
  });

  it('sorts buckets, adds up equal bounds and forces monotonic counts', () => {
    const shuffled = [buckets[2], buckets[0], buckets[1]].filter((bucket) => bucket !== undefined);
    expect(histogramQuantile(0.6, shuffled)).toBeCloseTo(0.15, 12);
    // Two series' buckets grouped together: the same bounds twice.
    expect(histogramQuantile(0.6, [...buckets, ...buckets])).toBeCloseTo(0.15, 12);
    // A dip (rates of counters scraped at different instants) is flattened, as Prometheus does.
    const dipped = [
      { le: 0.1, rate: 5 },
      { le: 0.2, rate: 4 },
      { le: inf, rate: 10 },
    ];
    expect(histogramQuantile(0.5, dipped)).toBeCloseTo(0.1, 12);
    expect(histogramQuantile(0.6, dipped)).toBe(0.2);
  });

  it('returns the bound itself for a first bucket at or below zero', () => {
    expect(
      histogramQuantile(0.2, [
        { le: -1, rate: 5 },
        { le: inf, rate: 10 },
      ]),
    ).toBe(-1);
  });

  it('gives NaN or infinities where Prometheus does', () => {
    expect(histogramQuantile(Number.NaN, buckets)).toBeNaN();
    expect(histogramQuantile(-0.1, buckets)).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(1.1, buckets)).toBe(inf);
    expect(histogramQuantile(0.5, [])).toBeNaN();
    expect(histogramQuantile(0.5, [{ le: inf, rate: 3 }])).toBeNaN();
    expect(histogramQuantile(0.5, buckets.slice(0, 2))).toBeNaN();
    expect(
      histogramQuantile(0.5, [
        { le: 1, rate: 0 },
        { le: inf, rate: 0 },
      ]),
    ).toBeNaN();
  });
});
