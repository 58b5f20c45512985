/**
 * Time series of one workload's or service's traffic for the charts, the same whichever telemetry
 * source the rates came from: each point is the Istio series of one step reduced to rate by
 * response code, error rate, latency percentiles and throughput.
 */
import { histogramQuantile } from '../telemetry/quantile';
import type { RateSeries } from '../telemetry/series';
import type { TrafficDirection, TrafficKind, TrafficPoint } from '../types/workloads';

export interface SeriesSelector {
  kind: TrafficKind;
  namespace: string;
  name: string;
  direction: TrafficDirection;
}

/**
 * The labels that pick the selector's series. Inbound traffic is what the destination's proxy
 * reported, outbound what the source's proxy reported (as Kiali's charts do); a service has only
 * inbound traffic.
 */
export function selectorLabels(selector: SeriesSelector): Record<string, string> {
  if (selector.kind === 'service')
    return {
      reporter: 'destination',
      destination_service_name: selector.name,
      destination_service_namespace: selector.namespace,
    };
  return selector.direction === 'inbound'
    ? {
        reporter: 'destination',
        destination_workload: selector.name,
        destination_workload_namespace: selector.namespace,
      }
    : { reporter: 'source', source_workload: selector.name, source_workload_namespace: selector.namespace };
}

export function matchesSelector(labels: Record<string, string>, wanted: Record<string, string>): boolean {
  for (const name in wanted) if (labels[name] !== wanted[name]) return false;
  return true;
}

/** 5xx, or no response at all (`0`): what counts as an error, as Istio's dashboards count it. */
export function isErrorCode(code: string): boolean {
  return code.startsWith('5') || code === '0';
}

function quantileOrNull(q: number, buckets: { le: number; rate: number }[]): number | null {
  const value = histogramQuantile(q, buckets);
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : null;
}

/** One point from the rates of one step; `series` may hold anything, only the selector's are read. */
export function pointOf(time: number, series: readonly RateSeries[], selector: SeriesSelector): TrafficPoint {
  const wanted = selectorLabels(selector);
  const byCode: Record<string, number> = {};
  const buckets = new Map<number, number>();
  let rps = 0;
  let errors = 0;
  let requestBytes = 0;
  let responseBytes = 0;
  for (const entry of series) {
    if (!(entry.rate > 0) || !matchesSelector(entry.labels, wanted)) continue;
    switch (entry.metric) {
      case 'requests': {
        const code = entry.labels.response_code ?? '0';
        byCode[code] = (byCode[code] ?? 0) + entry.rate;
        rps += entry.rate;
        if (isErrorCode(code)) errors += entry.rate;
        break;
      }
      case 'durationBucket': {
        const le = entry.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(entry.labels.le);
        if (!Number.isNaN(le)) buckets.set(le, (buckets.get(le) ?? 0) + entry.rate);
        break;
      }
      case 'requestBytes':
      case 'tcpReceivedBytes':
        requestBytes += entry.rate;
        break;
      case 'responseBytes':
      case 'tcpSentBytes':
        responseBytes += entry.rate;
        break;
    }
  }
  const histogram = [...buckets].map(([le, rate]) => ({ le, rate }));
  const hasRequests = rps > 0;
  return {
    time,
    rps,
    byCode,
    errorRate: hasRequests ? errors / rps : null,
    p50: hasRequests ? quantileOrNull(0.5, histogram) : null,
    p95: hasRequests ? quantileOrNull(0.95, histogram) : null,
    p99: hasRequests ? quantileOrNull(0.99, histogram) : null,
    requestBytesPerSecond: requestBytes,
    responseBytesPerSecond: responseBytes,
  };
}

/** Every response code of the points, numerically sorted. */
export function codesOf(points: readonly TrafficPoint[]): string[] {
  const codes = new Set<string>();
  for (const point of points) for (const code of Object.keys(point.byCode)) codes.add(code);
  return [...codes].sort((a, b) => Number(a) - Number(b));
}

/** The step for a duration: about 60 points, never finer than `minStep` seconds. */
export function defaultStep(durationSeconds: number, minStep: number): number {
  return Math.max(minStep, Math.ceil(durationSeconds / 60));
}

/**
 * Rates per step from cumulative counter history (one proxy's scrapes, reset-corrected): for each
 * step end `t`, `(value(t) − value(t − step)) / Δt` between the last scrapes at or before each
 * bound. Steps without two distinct scrapes are skipped.
 */
export function ratesFromHistory(
  times: readonly number[],
  cumulative: (scrape: number, key: number) => number,
  keyCount: number,
  stepEnds: readonly number[],
  stepMs: number,
): { time: number; rates: Float64Array }[] {
  const lastAtOrBefore = (time: number) => {
    let found = -1;
    for (let index = 0; index < times.length && (times[index] as number) <= time; index += 1) found = index;
    return found;
  };
  const result: { time: number; rates: Float64Array }[] = [];
  for (const end of stepEnds) {
    const last = lastAtOrBefore(end);
    let first = lastAtOrBefore(end - stepMs);
    // The history may begin inside the first step: use its first scrape.
    if (first === -1 && last > 0 && (times[0] as number) > end - stepMs) first = 0;
    if (last === -1 || first === -1 || first >= last) continue;
    const seconds = ((times[last] as number) - (times[first] as number)) / 1000;
    if (seconds <= 0) continue;
    const rates = new Float64Array(keyCount);
    for (let key = 0; key < keyCount; key += 1)
      rates[key] = (cumulative(last, key) - cumulative(first, key)) / seconds;
    result.push({ time: end, rates });
  }
  return result;
}

/** Step ends from `now` back over `duration`, oldest first, aligned to the step. */
export function stepEnds(nowMs: number, durationSeconds: number, stepSeconds: number): number[] {
  const stepMs = stepSeconds * 1000;
  const last = Math.floor(nowMs / stepMs) * stepMs;
  const count = Math.max(1, Math.floor(durationSeconds / stepSeconds));
  return Array.from({ length: count }, (_, index) => last - (count - 1 - index) * stepMs);
}
