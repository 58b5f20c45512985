import 'server-only';
import { ApiException } from '@kubernetes/client-node';
import type { VectorElement } from '@/lib/telemetry/promql';
import { AppError } from '../errors';
import { callOptions, type TelemetryCluster } from './kube-calls';

/**
 * Instant queries against Prometheus' HTTP API (`/api/v1/query`), straight to a URL or through
 * the Kubernetes API server's service proxy. Whatever goes wrong — refused, timed out, an error
 * answer — is an AppError `unavailable:prometheus` naming the target and keeping the cause.
 */

export interface QueryAnswer {
  vector: VectorElement[];
  /** Prometheus' own warnings (partial data and the like) */
  warnings: string[];
  /** size of the JSON answer; unknown through the service proxy (client-node parses it) */
  bytes: number | undefined;
  /** wall time of the round trip, in milliseconds */
  durationMs: number;
}

export interface PrometheusClient {
  /** where the queries go, for messages and `describe()` */
  readonly target: string;
  /** Evaluate `promql` at `timeSeconds` (Unix seconds) as an instant vector. */
  query(promql: string, timeSeconds: number): Promise<QueryAnswer>;
}

/** Default deadline of one query, in milliseconds; Prometheus is told the same. */
export const defaultQueryTimeoutMs = 10_000;

interface Envelope {
  status?: unknown;
  errorType?: unknown;
  error?: unknown;
  warnings?: unknown;
  data?: { resultType?: unknown; result?: unknown };
}

function parseJson(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** Prometheus writes special floats as strings: `+Inf`, `-Inf`, `NaN`. */
function sampleValue(text: unknown): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return typeof text === 'string' ? Number(text) : Number.NaN;
}

function unavailable(target: string, message: string, cause?: unknown): AppError {
  return new AppError('unavailable:prometheus', `Prometheus at ${target}: ${message}`, { cause });
}

/** The vector of a successful answer, or the error Prometheus gave. */
function readEnvelope(
  target: string,
  body: unknown,
  status: number,
): Omit<QueryAnswer, 'bytes' | 'durationMs'> {
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as Envelope;
  if (envelope.status !== 'success') {
    const said =
      typeof envelope.error === 'string'
        ? `${typeof envelope.errorType === 'string' ? `${envelope.errorType}: ` : ''}${envelope.error}`
        : 'no Prometheus API answer';
    throw unavailable(target, `answered ${status}: ${said}`);
  }
  if (envelope.data?.resultType !== 'vector' || !Array.isArray(envelope.data.result)) {
    throw unavailable(target, `answered a ${String(envelope.data?.resultType)} where a vector was expected`);
  }
  const vector = envelope.data.result.map(
    (entry: { metric?: Record<string, string>; value?: unknown[] }) => ({
      labels: entry.metric ?? {},
      value: sampleValue(entry.value?.[1]),
    }),
  );
  const warnings = Array.isArray(envelope.warnings)
    ? envelope.warnings.filter((warning): warning is string => typeof warning === 'string')
    : [];
  return { vector, warnings };
}

/** The innermost message of a fetch failure: `connect ECONNREFUSED 127.0.0.1:9` rather than `fetch failed`. */
function failureReason(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return 'the query timed out';
    if (!(current.cause instanceof Error)) return current.message;
    current = current.cause;
  }
  return String(error);
}

/** A Prometheus at `baseUrl` (`http://prometheus.istio-system:9090`, path prefixes allowed). */
export function httpPrometheusClient(
  baseUrl: string,
  options: { timeoutMs?: number } = {},
): PrometheusClient {
  const timeoutMs = options.timeoutMs ?? defaultQueryTimeoutMs;
  const target = baseUrl.replace(/\/+$/, '');
  const endpoint = `${target}/api/v1/query`;
  return {
    target,
    async query(promql, timeSeconds) {
      const started = performance.now();
      let response: Response;
      let text: string;
      try {
        // POST keeps long namespace lists out of URL length limits of proxies in front of Prometheus.
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({
            query: promql,
            time: timeSeconds.toFixed(3),
            timeout: `${timeoutMs / 1000}s`,
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        throw unavailable(target, failureReason(error), error);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw unavailable(target, `answered ${response.status} with no JSON (${text.slice(0, 120)})`, error);
      }
      const answer = readEnvelope(target, body, response.status);
      return { ...answer, bytes: Buffer.byteLength(text), durationMs: performance.now() - started };
    },
  };
}

/** Where Istio's sample add-on installs Prometheus. */
export const inClusterPrometheus = { namespace: 'istio-system', service: 'prometheus', port: 9090 };

/**
 * A Prometheus Service reached through the API server:
 * `/api/v1/namespaces/NS/services/NAME:PORT/proxy/api/v1/query` (needs `get` on `services/proxy`).
 */
export function kubeProxyPrometheusClient(
  cluster: TelemetryCluster,
  service: { namespace: string; service: string; port: number } = inClusterPrometheus,
  options: { timeoutMs?: number } = {},
): PrometheusClient {
  const timeoutMs = options.timeoutMs ?? defaultQueryTimeoutMs;
  const name = `${service.service}:${service.port}`;
  const target = `${cluster.server}/api/v1/namespaces/${service.namespace}/services/${name}/proxy`;
  return {
    target,
    async query(promql, timeSeconds) {
      const started = performance.now();
      let body: unknown;
      try {
        // GET: `get services/proxy` is what read-only roles grant; POST would need `create`.
        body = await cluster.core.connectGetNamespacedServiceProxyWithPath(
          { name, namespace: service.namespace, path: 'api/v1/query' },
          callOptions({
            timeoutMs,
            query: { query: promql, time: timeSeconds.toFixed(3), timeout: `${timeoutMs / 1000}s` },
          }),
        );
      } catch (error) {
        if (error instanceof ApiException) {
          // Prometheus' own error envelope when it answered (the body comes as text), else the
          // API server's Status.
          const answer = parseJson(error.body);
          if (typeof answer === 'object' && answer !== null && (answer as Envelope).status === 'error')
            readEnvelope(target, answer, error.code);
          throw unavailable(target, `the API server answered ${error.code}`, error);
        }
        throw unavailable(target, failureReason(error), error);
      }
      // Prometheus answers JSON; the generated client hands back the parsed object for a `string` return.
      let parsed = body;
      if (typeof body === 'string') {
        try {
          parsed = JSON.parse(body);
        } catch (error) {
          throw unavailable(target, `answered with no JSON (${body.slice(0, 120)})`, error);
        }
      }
      return {
        ...readEnvelope(target, parsed, 200),
        bytes: undefined,
        durationMs: performance.now() - started,
      };
    },
  };
}
