/**
 * Step (d), response-time percentiles per edge, in milliseconds; null when the edge has none.
 *
 * - From request-duration histograms (direct scrapes, or Prometheus when asked for them): the
 *   histograms behind the edge summed bucket by bucket (what `sum by (le)` does), then p50/p95/p99
 *   with PromQL's interpolation — lib/telemetry/quantile.ts, the same function the telemetry
 *   layer uses. Exact for merged edges.
 * - From percentiles per telemetry edge (Prometheus' `histogram_quantile`): one telemetry edge's
 *   as they are; several merged ones estimated from their percentiles and request rates
 *   (lib/telemetry/response-times.ts `mixturePercentiles`).
 */
import { type Bucket, histogramQuantile } from '../telemetry/quantile';
import { mixturePercentiles, type Percentiles } from '../telemetry/response-times';
import type { WorkingEdge, WorkingGraph } from './model';

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

function fromHistograms(edge: WorkingEdge): Percentiles | null {
  const buckets = sumByBound(edge.records.durations.map((sample) => sample.buckets));
  const p50 = quantile(0.5, buckets);
  const p95 = quantile(0.95, buckets);
  const p99 = quantile(0.99, buckets);
  return p50 === null || p95 === null || p99 === null ? null : { p50, p95, p99 };
}

export function responseTimes(graph: WorkingGraph): WorkingGraph {
  for (const edge of graph.edges) {
    edge.responseTime =
      edge.records.durations.length > 0
        ? fromHistograms(edge)
        : mixturePercentiles(edge.records.responseTimes);
  }
  return graph;
}
