/**
 * Quantiles from cumulative histogram bucket rates, as PromQL's `histogram_quantile` computes
 * them for classic histograms (prometheus/prometheus `promql/quantile.go`, `bucketQuantile`):
 * linear interpolation inside the bucket that holds the rank, a natural lower bound of 0 for the
 * first bucket, and the highest finite bound when the rank falls in the `+Inf` bucket. Computing
 * them here from one bucket query replaces one PromQL query per quantile.
 */

export interface Bucket {
  /** inclusive upper bound (Infinity for `+Inf`) */
  le: number;
  /** cumulative count or rate of observations at or below `le` */
  rate: number;
}

/**
 * The `q`-quantile of a histogram, in the buckets' unit; NaN where Prometheus gives NaN (no
 * observations, fewer than two buckets, no `+Inf` bucket, q is NaN).
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (buckets.length === 0) return Number.NaN;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted[sorted.length - 1]?.le !== Number.POSITIVE_INFINITY) return Number.NaN;

  // Buckets with the same bound add up (several series grouped into one).
  const merged: Bucket[] = [];
  for (const bucket of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.le === bucket.le) last.rate += bucket.rate;
    else merged.push({ ...bucket });
  }
  correctPrecisionErrors(merged, 1e-12);
  ensureMonotonic(merged);
  if (merged.length < 2) return Number.NaN;

  const observations = merged[merged.length - 1]?.rate ?? 0;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  // The first bucket (among all but +Inf) whose cumulative count reaches the rank.
  let index = merged.length - 1;
  for (let candidate = 0; candidate < merged.length - 1; candidate += 1) {
    if ((merged[candidate]?.rate ?? 0) >= rank) {
      index = candidate;
      break;
    }
  }
  if (index === merged.length - 1) return merged[merged.length - 2]?.le ?? Number.NaN;
  const current = merged[index] as Bucket;
  if (index === 0 && current.le <= 0) return current.le;
  let start = 0;
  let count = current.rate;
  if (index > 0) {
    const previous = merged[index - 1] as Bucket;
    start = previous.le;
    count -= previous.rate;
    rank -= previous.rate;
  }
  return start + (current.le - start) * (rank / count);
}

/** Prometheus' fix for float noise that makes counts dip by a hair (relative `tolerance`). */
function correctPrecisionErrors(buckets: Bucket[], tolerance: number): void {
  let previous = buckets[0]?.rate ?? 0;
  for (let index = 1; index < buckets.length; index += 1) {
    const bucket = buckets[index] as Bucket;
    const delta = Math.abs(bucket.rate - previous);
    if (delta === 0) continue;
    if (delta / bucket.rate <= tolerance) bucket.rate = previous;
    else previous = bucket.rate;
  }
}

/** Removes decreases between successive buckets (rates of counters scraped at different times). */
function ensureMonotonic(buckets: Bucket[]): void {
  let max = buckets[0]?.rate ?? 0;
  for (let index = 1; index < buckets.length; index += 1) {
    const bucket = buckets[index] as Bucket;
    if (bucket.rate > max) max = bucket.rate;
    else if (bucket.rate < max) bucket.rate = max;
  }
}
