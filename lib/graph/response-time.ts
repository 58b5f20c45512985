/**
 * Step (d), response-time percentiles per edge: the request-duration histograms behind the edge
 * summed bucket by bucket (what `sum by (le)` does), then p50/p95/p99 with PromQL's
 * interpolation — lib/telemetry/quantile.ts, the same function the telemetry layer uses.
 * Milliseconds; null when the edge has no durations.
 */
import { type Bucket, histogramQuantile } from '../telemetry/quantile';
import type { WorkingGraph } from './model';

const quantile = (q: number, buckets: readonly Bucket[]) => {
  const value = histogramQuantile(q, buckets);
  return Number.isFinite(value) ? value : null;
};

/** Histograms added bucket by bucket, sorted by bound (what `sum by (le)` gives). */
function sumByBound(histograms: readonly Bucket[][]): Bucket[] {
  if (histograms.length === 1) return histograms[0] ?? [];
  const sums = new Map<number, number>();
  for (const buckets of histograms)
    for (const bucket of buckets) sums.set(bucket.le, (sums.get(bucket.le) ?? 0) + bucket.rate);
  return [...sums].map(([le, rate]) => ({ le, rate })).sort((a, b) => a.le - b.le);
}

export function responseTimes(graph: WorkingGraph): WorkingGraph {
  return {
    ...graph,
    edges: graph.edges.map((edge) => {
      const buckets = sumByBound(edge.records.durations.map((sample) => sample.buckets));
      const p50 = quantile(0.5, buckets);
      const p95 = quantile(0.95, buckets);
      const p99 = quantile(0.99, buckets);
      return {
        ...edge,
        responseTime: p50 === null || p95 === null || p99 === null ? null : { p50, p95, p99 },
      };
    }),
  };
}
