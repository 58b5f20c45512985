import { describe, expect, it } from 'vitest';
import { histogramQuantile } from './quantile';
import { mixturePercentiles } from './response-times';

describe('mixturePercentiles', () => {
  it('gives one part back as it is, and nothing without requests', () => {
    expect(mixturePercentiles([{ rate: 2, p50: 10, p95: 40, p99: 90 }])).toEqual({
      p50: 10,
      p95: 40,
      p99: 90,
    });
    expect(mixturePercentiles([{ rate: 0, p50: 10, p95: 40, p99: 90 }])).toBeNull();
    expect(mixturePercentiles([])).toBeNull();
  });

  it('gives the same percentiles for identical parts whatever their rates', () => {
    const part = { p50: 12, p95: 30, p99: 45 };
    const mixed = mixturePercentiles([
      { ...part, rate: 1 },
      { ...part, rate: 7 },
    ]);
    expect(mixed?.p50).toBeCloseTo(12, 9);
    expect(mixed?.p95).toBeCloseTo(30, 9);
    expect(mixed?.p99).toBeCloseTo(45, 9);
  });

  it('weights parts by rate, close to the percentiles of the summed histograms', () => {
    // Two uniform histograms: 90 % of requests in (0, 10] ms and 10 % in (500, 1000] ms.
    const fast = [
      { le: 10, rate: 9 },
      { le: 500, rate: 9 },
      { le: 1000, rate: 9 },
      { le: Number.POSITIVE_INFINITY, rate: 9 },
    ];
    const slow = [
      { le: 10, rate: 0 },
      { le: 500, rate: 0 },
      { le: 1000, rate: 1 },
      { le: Number.POSITIVE_INFINITY, rate: 1 },
    ];
    const parts = [
      { buckets: fast, rate: 9 },
      { buckets: slow, rate: 1 },
    ].map(({ buckets, rate }) => ({
      rate,
      p50: histogramQuantile(0.5, buckets),
      p95: histogramQuantile(0.95, buckets),
      p99: histogramQuantile(0.99, buckets),
    }));
    const summed = fast.map((bucket, index) => ({
      le: bucket.le,
      rate: bucket.rate + (slow[index]?.rate ?? 0),
    }));
    const mixed = mixturePercentiles(parts);
    expect(mixed?.p95).toBeCloseTo(histogramQuantile(0.95, summed), 6);
    expect(mixed?.p99).toBeCloseTo(histogramQuantile(0.99, summed), 6);
    // p50 lies in the fast part: between its p50 and the summed histogram's.
    expect(mixed?.p50).toBeGreaterThan(5);
    expect(mixed?.p50).toBeLessThanOrEqual(histogramQuantile(0.5, summed) + 1e-9);
    expect(mixed && mixed.p50 <= mixed.p95 && mixed.p95 <= mixed.p99).toBe(true);
  });
});
