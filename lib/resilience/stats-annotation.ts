/**
 * Istio's sidecars leave out Envoy's per-cluster stats by default; the outlier-detection and
 * overflow counters exist only where the pod's `proxy.istio.io/config` annotation (or the mesh's
 * `defaultConfig`) adds them with `proxyStatsMatcher`. This is the annotation to put on the
 * callers' pod templates. Its value is JSON, which Istio reads as the YAML it also is.
 */
import type { WorkloadRef } from '../types/resilience';

export const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

/** Regexps over Envoy's stat names (`cluster.outbound|9080|v3|reviews….outlier_detection.ejections_active`). */
export const OUTLIER_STATS_INCLUSIONS = [
  '.*outlier_detection.*',
  '.*upstream_rq_pending_overflow.*',
  '.*upstream_cx_overflow.*',
] as const;

export const OUTLIER_STATS_ANNOTATION = {
  name: PROXY_CONFIG_ANNOTATION,
  value: JSON.stringify({ proxyStatsMatcher: { inclusionRegexps: OUTLIER_STATS_INCLUSIONS } }),
} as const;

/** What to do when some callers' proxies do not emit the stats. */
export function statsAdvice(missing: readonly WorkloadRef[]): string {
  if (missing.length === 0)
    return 'The callers’ proxies emit envoy_cluster_outlier_detection_* and the overflow counters.';
  const names = missing
    .slice(0, 5)
    .map((workload) => `${workload.namespace}/${workload.workload}`)
    .join(', ');
  const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
  return `The proxies of ${names}${more} do not emit the outlier-detection and overflow stats, so ejection history and overflow counts are missing for them. Add the annotation ${PROXY_CONFIG_ANNOTATION} below to their pod templates (or proxyStatsMatcher to the mesh's defaultConfig); pods pick it up when they restart.`;
}
