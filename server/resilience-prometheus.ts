import 'server-only';
import { ApiException } from '@kubernetes/client-node';
import type { EjectionSeries, OverflowCounters } from '@/lib/types/resilience';
import { getConfig } from './config';
import { AppError } from './errors';
import { getCluster } from './kube/cluster';
import { callOptions, type TelemetryCluster } from './telemetry/kube-calls';
import {
  defaultQueryTimeoutMs,
  httpPrometheusClient,
  inClusterPrometheus,
  kubeProxyPrometheusClient,
  type PrometheusClient,
} from './telemetry/prometheus-client';

/**
 * Ejection history and overflow counters from Prometheus, where the telemetry source is
 * Prometheus: a range query of `envoy_cluster_outlier_detection_ejections_active` for the
 * timeline, instant `increase()`s for the counters, per caller pod (`namespace`, `pod`) and
 * cluster (`cluster_name`). The series exist only where the callers' proxies emit them
 * (`proxyStatsMatcher`). The telemetry client speaks instant queries only, so range queries go
 * through the same two transports here: a URL, or the API server's service proxy.
 */

export interface MatrixSeries {
  labels: Record<string, string>;
  /** [Unix seconds, value] */
  points: [number, number][];
}

export interface ResilienceMetrics {
  readonly target: string;
  instant: PrometheusClient['query'];
  range(
    promql: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
  ): Promise<MatrixSeries[]>;
}

function unavailable(target: string, message: string, cause?: unknown): AppError {
  return new AppError('unavailable:prometheus', `Prometheus at ${target}: ${message}`, { cause });
}

/** The matrix of a `query_range` answer, or the error Prometheus gave. */
export function readMatrix(target: string, body: unknown): MatrixSeries[] {
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  const envelope = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
    status?: unknown;
    error?: unknown;
    data?: { resultType?: unknown; result?: unknown };
  };
  if (envelope.status !== 'success')
    throw unavailable(
      target,
      typeof envelope.error === 'string' ? envelope.error : 'no Prometheus API answer',
    );
  if (envelope.data?.resultType !== 'matrix' || !Array.isArray(envelope.data.result))
    throw unavailable(target, `answered a ${String(envelope.data?.resultType)} where a matrix was expected`);
  return envelope.data.result.map((entry: { metric?: Record<string, string>; values?: unknown[] }) => ({
    labels: entry.metric ?? {},
    points: (entry.values ?? [])
      .filter((value): value is [number, string] => Array.isArray(value) && value.length === 2)
      .map(([time, value]) => [Number(time), Number(value)] as [number, number]),
  }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function rangeParameters(promql: string, start: number, end: number, step: number, timeoutMs: number) {
  return {
    query: promql,
    start: start.toFixed(3),
    end: end.toFixed(3),
    step: `${step}s`,
    timeout: `${timeoutMs / 1000}s`,
  };
}

export function httpResilienceMetrics(baseUrl: string, timeoutMs = defaultQueryTimeoutMs): ResilienceMetrics {
  const client = httpPrometheusClient(baseUrl, { timeoutMs });
  return {
    target: client.target,
    instant: (promql, time) => client.query(promql, time),
    async range(promql, start, end, step) {
      let text: string;
      try {
        const response = await fetch(`${client.target}/api/v1/query_range`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams(rangeParameters(promql, start, end, step, timeoutMs)),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        throw unavailable(client.target, error instanceof Error ? error.message : String(error), error);
      }
      return readMatrix(client.target, text);
    },
  };
}

export function kubeProxyResilienceMetrics(
  cluster: TelemetryCluster,
  timeoutMs = defaultQueryTimeoutMs,
): ResilienceMetrics {
  const client = kubeProxyPrometheusClient(cluster, inClusterPrometheus, { timeoutMs });
  const name = `${inClusterPrometheus.service}:${inClusterPrometheus.port}`;
  return {
    target: client.target,
    instant: (promql, time) => client.query(promql, time),
    async range(promql, start, end, step) {
      try {
        const body = await cluster.core.connectGetNamespacedServiceProxyWithPath(
          { name, namespace: inClusterPrometheus.namespace, path: 'api/v1/query_range' },
          callOptions({ timeoutMs, query: rangeParameters(promql, start, end, step, timeoutMs) }),
        );
        return readMatrix(client.target, body);
      } catch (error) {
        if (error instanceof AppError) throw error;
        const said = error instanceof ApiException ? `the API server answered ${error.code}` : String(error);
        throw unavailable(client.target, said, error);
      }
    },
  };
}

/** The Prometheus the telemetry source uses: the configured URL, else the in-cluster one. */
export function resilienceMetricsFromConfig(): ResilienceMetrics {
  const url = getConfig().prometheusUrl;
  return url !== undefined ? httpResilienceMetrics(url) : kubeProxyResilienceMetrics(getCluster());
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `cluster_name=~"outbound\\|[0-9]+\\|[^|]*\\|reviews\\.default\\.svc\\.cluster\\.local"` (PromQL string escapes doubled). */
export function clusterMatcher(fqdn: string): string {
  const regex = `outbound\\|[0-9]+\\|[^|]*\\|${escapeRegex(fqdn)}`;
  return `cluster_name=~"${regex.replaceAll('\\', '\\\\')}"`;
}

export function ejectionsActiveQuery(fqdn: string): string {
  return `max by (namespace, pod, cluster_name) (envoy_cluster_outlier_detection_ejections_active{${clusterMatcher(fqdn)}})`;
}

const counterMetrics = {
  pendingOverflow: 'envoy_cluster_upstream_rq_pending_overflow',
  connectionOverflow: 'envoy_cluster_upstream_cx_overflow',
  ejectionsEnforced: 'envoy_cluster_outlier_detection_ejections_enforced_total',
} as const;

export function counterQueries(
  fqdn: string,
  windowSeconds: number,
): Record<keyof typeof counterMetrics, string> {
  const query = (metric: string) =>
    `sum by (namespace, pod, cluster_name) (increase(${metric}{${clusterMatcher(fqdn)}}[${windowSeconds}s]))`;
  return {
    pendingOverflow: query(counterMetrics.pendingOverflow),
    connectionOverflow: query(counterMetrics.connectionOverflow),
    ejectionsEnforced: query(counterMetrics.ejectionsEnforced),
  };
}

/** Seconds between points of a window's timeline: about 120 points, at least 5 s apart. */
export function stepFor(windowSeconds: number): number {
  return Math.max(5, Math.ceil(windowSeconds / 120));
}

/** Ejected hosts over the window per caller pod and cluster. Empty when no proxy emits the stat. */
export async function prometheusEjectionSeries(
  metrics: ResilienceMetrics,
  fqdn: string,
  windowSeconds: number,
  nowMs: number,
): Promise<EjectionSeries[]> {
  const end = nowMs / 1000;
  const step = stepFor(windowSeconds);
  const matrix = await metrics.range(ejectionsActiveQuery(fqdn), end - windowSeconds, end, step);
  return matrix
    .filter((series) => series.labels.namespace && series.labels.pod && series.labels.cluster_name)
    .map((series) => ({
      caller: { namespace: series.labels.namespace ?? '', name: series.labels.pod ?? '' },
      cluster: series.labels.cluster_name ?? '',
      points: series.points.map(([time, value]) => ({
        time: new Date(time * 1000).toISOString(),
        ejected: value,
      })),
    }));
}

/** Increases over the window per caller pod and cluster; empty when no proxy emits the stats. */
export async function prometheusOverflowCounters(
  metrics: ResilienceMetrics,
  fqdn: string,
  windowSeconds: number,
  nowMs: number,
): Promise<OverflowCounters[]> {
  const queries = counterQueries(fqdn, windowSeconds);
  const fields = Object.keys(queries) as (keyof typeof counterMetrics)[];
  const answers = await Promise.all(fields.map((field) => metrics.instant(queries[field], nowMs / 1000)));
  const byKey = new Map<string, OverflowCounters>();
  answers.forEach((answer, index) => {
    const field = fields[index] as keyof typeof counterMetrics;
    for (const element of answer.vector) {
      const { namespace, pod, cluster_name: cluster } = element.labels;
      if (!namespace || !pod || !cluster) continue;
      const key = `${namespace}/${pod}|${cluster}`;
      const entry = byKey.get(key) ?? {
        caller: { namespace, name: pod },
        cluster,
        pendingOverflow: 0,
        connectionOverflow: 0,
        ejectionsEnforced: 0,
      };
      entry[field] = Number.isFinite(element.value) ? Math.round(element.value) : 0;
      byKey.set(key, entry);
    }
  });
  return [...byKey.values()];
}
