import 'server-only';
import { metricNames, type RateSeries, type TelemetryMetric } from '@/lib/telemetry/series';
import type { ApiWarning } from '@/lib/types/api';
import type { TrafficPoint } from '@/lib/types/workloads';
import { pointOf, type SeriesSelector, selectorLabels } from '@/lib/workloads/series';
import { AppError } from '../errors';
import { callOptions, type TelemetryCluster } from './kube-calls';
import { inClusterPrometheus } from './prometheus-client';

/**
 * Prometheus range queries (`/api/v1/query_range`) for the charts, to the configured URL or to
 * the in-cluster Prometheus through the API server's service proxy, as the instant queries go.
 */

export interface MatrixElement {
  labels: Record<string, string>;
  /** [Unix seconds, value] */
  values: [number, number][];
}

export interface RangeClient {
  readonly target: string;
  queryRange(
    promql: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
  ): Promise<{
    matrix: MatrixElement[];
    warnings: string[];
  }>;
}

const timeoutMs = 10_000;

function unavailable(target: string, message: string, cause?: unknown): AppError {
  return new AppError('unavailable:prometheus', `Prometheus at ${target}: ${message}`, { cause });
}

/** The matrix of a `query_range` answer, or the error Prometheus gave. */
export function readMatrix(target: string, body: unknown): { matrix: MatrixElement[]; warnings: string[] } {
  const envelope = (typeof body === 'string' ? JSON.parse(body) : body) as {
    status?: string;
    error?: string;
    warnings?: unknown;
    data?: {
      resultType?: string;
      result?: { metric?: Record<string, string>; values?: [number, string][] }[];
    };
  };
  if (envelope?.status !== 'success')
    throw unavailable(target, envelope?.error ?? 'no Prometheus API answer');
  if (envelope.data?.resultType !== 'matrix' || !Array.isArray(envelope.data.result))
    throw unavailable(target, `answered a ${String(envelope.data?.resultType)} where a matrix was expected`);
  const matrix = envelope.data.result.map((entry) => ({
    labels: entry.metric ?? {},
    values: (entry.values ?? []).map(([time, value]): [number, number] => [
      Number(time),
      value === '+Inf' ? Number.POSITIVE_INFINITY : Number(value),
    ]),
  }));
  const warnings = Array.isArray(envelope.warnings)
    ? envelope.warnings.filter((warning): warning is string => typeof warning === 'string')
    : [];
  return { matrix, warnings };
}

function rangeParameters(promql: string, start: number, end: number, step: number): Record<string, string> {
  return {
    query: promql,
    start: start.toFixed(3),
    end: end.toFixed(3),
    step: `${step}s`,
    timeout: `${timeoutMs / 1000}s`,
  };
}

/** The range client for the configured Prometheus URL, else the in-cluster one through the API server. */
export function prometheusRangeClient(
  cluster: TelemetryCluster,
  prometheusUrl: string | undefined,
): RangeClient {
  if (prometheusUrl !== undefined) {
    const target = prometheusUrl.replace(/\/+$/, '');
    return {
      target,
      async queryRange(promql, start, end, step) {
        let text: string;
        try {
          const response = await fetch(`${target}/api/v1/query_range`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: new URLSearchParams(rangeParameters(promql, start, end, step)),
            signal: AbortSignal.timeout(timeoutMs),
          });
          text = await response.text();
        } catch (error) {
          throw unavailable(target, error instanceof Error ? error.message : String(error), error);
        }
        try {
          return readMatrix(target, JSON.parse(text));
        } catch (error) {
          if (error instanceof AppError) throw error;
          throw unavailable(target, `answered with no JSON (${text.slice(0, 120)})`, error);
        }
      },
    };
  }
  const service = inClusterPrometheus;
  const name = `${service.service}:${service.port}`;
  const target = `${cluster.server}/api/v1/namespaces/${service.namespace}/services/${name}/proxy`;
  return {
    target,
    async queryRange(promql, start, end, step) {
      let body: unknown;
      try {
        body = await cluster.core.connectGetNamespacedServiceProxyWithPath(
          { name, namespace: service.namespace, path: 'api/v1/query_range' },
          callOptions({ timeoutMs, query: rangeParameters(promql, start, end, step) }),
        );
      } catch (error) {
        throw unavailable(target, error instanceof Error ? error.message : String(error), error);
      }
      return readMatrix(target, body);
    },
  };
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** One PromQL query per concern, each grouped by the label the point needs. */
export function rangeQueries(selector: SeriesSelector, rateSeconds: number): Record<TelemetryMetric, string> {
  const labels = Object.entries(selectorLabels(selector))
    .map(([name, value]) => `${name}="${escapeLabel(value)}"`)
    .join(',');
  const rate = (metric: TelemetryMetric, by: string) =>
    `sum${by ? ` by (${by})` : ''} (rate(${metricNames[metric]}{${labels}}[${rateSeconds}s]))`;
  return {
    requests: rate('requests', 'response_code'),
    durationBucket: rate('durationBucket', 'le'),
    requestBytes: rate('requestBytes', ''),
    responseBytes: rate('responseBytes', ''),
    tcpSentBytes: rate('tcpSentBytes', ''),
    tcpReceivedBytes: rate('tcpReceivedBytes', ''),
  };
}

/** The points of `selector` over the last `durationSeconds`, one per `step`. */
export async function queryRangeSeries(
  client: RangeClient,
  request: SeriesSelector & { durationSeconds: number },
  step: number,
  nowMs: number,
): Promise<{ points: TrafficPoint[]; warnings: ApiWarning[] }> {
  const end = Math.floor(nowMs / 1000 / step) * step;
  const start = end - request.durationSeconds + step;
  // Rates over at least 30 s: a scrape interval of 15 s needs two samples in the window.
  const queries = rangeQueries(request, Math.max(step, 30));
  const wanted = selectorLabels(request);
  const metrics = Object.keys(queries) as TelemetryMetric[];
  const answers = await Promise.allSettled(
    metrics.map((metric) => client.queryRange(queries[metric], start, end, step)),
  );
  const perTime = new Map<number, RateSeries[]>();
  const warnings: ApiWarning[] = [];
  answers.forEach((answer, index) => {
    const metric = metrics[index] as TelemetryMetric;
    if (answer.status === 'rejected') {
      if (metric === 'requests') throw answer.reason;
      const message = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
      warnings.push({ source: 'prometheus', message: `no ${metric}: ${message}` });
      return;
    }
    for (const warning of answer.value.warnings) warnings.push({ source: 'prometheus', message: warning });
    for (const element of answer.value.matrix) {
      for (const [time, value] of element.values) {
        const list = perTime.get(time) ?? [];
        list.push({ metric, labels: { ...wanted, ...element.labels }, rate: value });
        perTime.set(time, list);
      }
    }
  });
  const points = [...perTime.keys()]
    .sort((a, b) => a - b)
    .map((time) => pointOf(time * 1000, perTime.get(time) ?? [], request));
  return { points, warnings };
}
