/**
 * Response-time percentiles per telemetry edge, for sources that compute them where the data is
 * (Prometheus' `histogram_quantile` per edge, as Kiali asks for them) instead of shipping every
 * histogram bucket: at 1,000 services the bucket answer is ~25k series and ~14 MB of JSON, the
 * percentiles ~3.7k series and ~2 MB.
 *
 * A graph edge that merges several telemetry edges (a caller -> service edge in front of several
 * versions) cannot add percentiles up as it adds buckets; `mixturePercentiles` estimates them from
 * each part's percentiles and request rate. Sources with histograms (direct scrapes) keep them,
 * and the graph computes exact percentiles from those.
 */
import type { EdgeKey, TelemetryQuery, TelemetrySnapshot } from '../types/telemetry';

/** The percentiles the graph shows, as PromQL `histogram_quantile` arguments. */
export const responseTimeQuantiles = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

export type Percentile = keyof typeof responseTimeQuantiles;

export interface Percentiles {
  /** milliseconds */
  p50: number;
  /** milliseconds */
  p95: number;
  /** milliseconds */
  p99: number;
}

/** Response-time percentiles of one telemetry edge, and the requests per second they describe. */
export interface ResponseTimeSample extends EdgeKey, Percentiles {
  /** requests per second of the edge (its weight when edges merge) */
  rate: number;
}

/** How a snapshot carries response times: bucket histograms (exact merges) or percentiles per edge. */
export type ResponseTimeForm = 'histograms' | 'percentiles';

/**
 * A telemetry query that may ask for percentiles per edge instead of histograms. A source that
 * only has histograms (direct scrapes) answers with histograms whatever is asked.
 */
export interface GraphTelemetryQuery extends TelemetryQuery {
  /** default `histograms` */
  responseTimes?: ResponseTimeForm;
}

/** A snapshot with, when asked for and the source can, percentiles per edge (`durations` then empty). */
export interface GraphTelemetrySnapshot extends TelemetrySnapshot {
  responseTimes?: ResponseTimeSample[];
}

interface Point {
  /** milliseconds */
  x: number;
  /** share of requests at or below x */
  y: number;
}

/**
 * The distribution a part's percentiles describe, as a piecewise-linear CDF through (0, 0), the
 * three percentiles, and 100 % where the density between p95 and p99 would reach it.
 */
function cdfPoints(part: Percentiles): Point[] {
  const top = part.p99 + Math.max(0, part.p99 - part.p95) / 4;
  return [
    { x: 0, y: 0 },
    { x: part.p50, y: 0.5 },
    { x: part.p95, y: 0.95 },
    { x: part.p99, y: 0.99 },
    { x: top, y: 1 },
  ];
}

/** The CDF at x: linear between points, 0 before the first, 1 after the last. */
function cdfAt(points: readonly Point[], x: number): number {
  const first = points[0];
  if (!first || x < first.x) return 0;
  for (let index = 1; index < points.length; index += 1) {
    const from = points[index - 1] as Point;
    const to = points[index] as Point;
    // x >= from.x here, so x < to.x means to.x > from.x: no division by zero.
    if (x < to.x) return from.y + ((to.y - from.y) * (x - from.x)) / (to.x - from.x);
  }
  return 1;
}

/**
 * Percentiles of several edges' traffic taken together, weighted by their request rates: exact
 * for one part, and for several the percentiles of the mixture of the parts' piecewise-linear
 * distributions (each through its own p50/p95/p99). Null when no part carries requests.
 */
export function mixturePercentiles(parts: readonly (Percentiles & { rate: number })[]): Percentiles | null {
  const weighted = parts.filter((part) => part.rate > 0);
  const [only] = weighted;
  if (!only) return null;
  if (weighted.length === 1) return { p50: only.p50, p95: only.p95, p99: only.p99 };
  const total = weighted.reduce((sum, part) => sum + part.rate, 0);
  const curves = weighted.map((part) => ({ share: part.rate / total, points: cdfPoints(part) }));
  // The mixture's CDF is linear between the parts' points: evaluate it there, invert between two.
  const xs = [...new Set(curves.flatMap((curve) => curve.points.map((point) => point.x)))].sort(
    (a, b) => a - b,
  );
  const ys = xs.map((x) => curves.reduce((sum, curve) => sum + curve.share * cdfAt(curve.points, x), 0));
  const invert = (q: number): number => {
    for (let index = 0; index < xs.length; index += 1) {
      const y = ys[index] as number;
      if (y < q) continue;
      if (index === 0) return xs[0] as number;
      const x0 = xs[index - 1] as number;
      const y0 = ys[index - 1] as number;
      const x1 = xs[index] as number;
      return y === y0 ? x1 : x0 + ((x1 - x0) * (q - y0)) / (y - y0);
    }
    return xs[xs.length - 1] as number;
  };
  return {
    p50: invert(responseTimeQuantiles.p50),
    p95: invert(responseTimeQuantiles.p95),
    p99: invert(responseTimeQuantiles.p99),
  };
}
