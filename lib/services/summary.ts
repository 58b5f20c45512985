/**
 * The numbers of a service row: sidecar coverage of its endpoint pods, its inbound traffic (rate
 * and error rate from its graph node, p95 from the duration histograms of requests to its host)
 * and finding counts.
 */

import { type Bucket, histogramQuantile } from '../telemetry/quantile';
import type { GraphNode } from '../types/graph';
import type { PodInfo } from '../types/mesh-config';
import type { FindingCounts, ServiceTraffic, SidecarCoverage } from '../types/services';
import type { DurationSample } from '../types/telemetry';
import type { Finding } from '../types/validation';

export function sidecarCoverage(pods: readonly PodInfo[]): {
  coverage: SidecarCoverage;
  total: number;
  withSidecar: number;
} {
  const running = pods.filter((pod) => pod.phase === 'Running');
  const withSidecar = running.filter((pod) => pod.sidecar).length;
  const coverage: SidecarCoverage =
    running.length === 0
      ? 'no-pods'
      : withSidecar === running.length
        ? 'present'
        : withSidecar === 0
          ? 'missing'
          : 'partial';
  return { coverage, total: running.length, withSidecar };
}

/** Histograms summed bucket by bound (what `sum by (le)` gives). */
function sumByBound(histograms: readonly (readonly Bucket[])[]): Bucket[] {
  const sums = new Map<number, number>();
  for (const buckets of histograms)
    for (const bucket of buckets) sums.set(bucket.le, (sums.get(bucket.le) ?? 0) + bucket.rate);
  return [...sums].map(([le, rate]) => ({ le, rate })).sort((a, b) => a.le - b.le);
}

/** p95 in milliseconds of the requests to each service host (one pass over the histograms). */
export function p95ByService(durations: readonly DurationSample[]): Map<string, number> {
  const grouped = new Map<string, Bucket[][]>();
  for (const sample of durations) {
    const list = grouped.get(sample.service.fqdn);
    if (list) list.push(sample.buckets);
    else grouped.set(sample.service.fqdn, [sample.buckets]);
  }
  const result = new Map<string, number>();
  for (const [fqdn, histograms] of grouped) {
    const value = histogramQuantile(0.95, sumByBound(histograms));
    if (Number.isFinite(value)) result.set(fqdn, value);
  }
  return result;
}

/** p95 in milliseconds of the requests to `fqdn`, or null without data. */
export function p95For(fqdn: string, durations: readonly DurationSample[]): number | null {
  const buckets = sumByBound(
    durations.filter((sample) => sample.service.fqdn === fqdn).map((s) => s.buckets),
  );
  if (buckets.length === 0) return null;
  const value = histogramQuantile(0.95, buckets);
  return Number.isFinite(value) ? value : null;
}

export function serviceTraffic(node: GraphNode | undefined, p95Ms: number | null): ServiceTraffic {
  return {
    requestRate: node?.traffic.inboundRps ?? 0,
    errorRate: node?.traffic.inboundErrorRate ?? 0,
    p95Ms,
  };
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts: FindingCounts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
