/**
 * A cluster's effective policy in words, and guidance on the values: what a platform engineer
 * would say looking over the DestinationRule. Limits are per caller proxy: every calling pod's
 * Envoy keeps its own pool, counters and ejections.
 */
import type {
  EffectiveConnectionPool,
  EffectiveLoadBalancer,
  EffectiveOutlierDetection,
  PolicyGuidance,
  PolicySource,
} from '../types/resilience';
import { maxEjectable } from './ejection-limits';

export interface PolicyToExplain {
  subset: string | null;
  /** pods in the cluster */
  pods: number;
  connectionPool: { value: EffectiveConnectionPool; from: PolicySource };
  outlierDetection: { value: EffectiveOutlierDetection | null; from: PolicySource };
  loadBalancer: { value: EffectiveLoadBalancer; from: PolicySource };
  tlsMode: { value: string | null; from: PolicySource };
}

/** `15 s`, `1.5 s`, `250 ms`, `2 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000 || ms % 60_000 !== 0) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${ms / 60_000} min`;
}

function plural(value: number, word: string): string {
  return `${value} ${word}${value === 1 ? '' : 's'}`;
}

function fromWords(from: PolicySource): string {
  switch (from) {
    case 'subset-port':
      return " (the subset's port-level setting)";
    case 'subset':
      return " (the subset's setting)";
    case 'port':
      return ' (port-level setting)';
    case 'top-level':
      return '';
    default:
      return " (Istio's default)";
  }
}

const algorithms: Record<string, string> = {
  LEAST_REQUEST: 'to the less busy of two random pods (least request)',
  ROUND_ROBIN: 'to each pod in turn (round robin)',
  RANDOM: 'to a random pod',
  PASSTHROUGH: 'to the address the caller asked for, without balancing (passthrough)',
  consistentHash: 'by a hash of the request (consistent hash: sticky sessions)',
};

function outlierSentences(
  outlier: EffectiveOutlierDetection | null,
  pods: number,
  from: PolicySource,
): string[] {
  if (!outlier) {
    return ['No outlier detection: a failing pod keeps getting its share of requests.'];
  }
  const triggers: string[] = [];
  if (outlier.consecutive5xxErrors > 0)
    triggers.push(
      `${outlier.consecutive5xxErrors} consecutive 5xx ${outlier.consecutive5xxErrors === 1 ? 'error' : 'errors'}`,
    );
  if (outlier.consecutiveGatewayErrors > 0)
    triggers.push(`${outlier.consecutiveGatewayErrors} consecutive gateway errors (502, 503, 504)`);
  if (outlier.consecutiveLocalOriginFailures !== null && outlier.consecutiveLocalOriginFailures > 0)
    triggers.push(`${outlier.consecutiveLocalOriginFailures} consecutive connection failures or timeouts`);
  const limit = maxEjectable(pods, outlier.maxEjectionPercent);
  const sentences = [
    triggers.length > 0
      ? `Outlier detection${fromWords(from)}: a pod that answers ${triggers.join(' or ')} is ejected from the caller's load balancing.`
      : `Outlier detection${fromWords(from)} is configured, but no consecutive-error count is above 0: nothing is ejected.`,
    `An ejection lasts ${formatDuration(outlier.baseEjectionTimeMs)} × the number of times the pod was ejected in a row (at most ${formatDuration(outlier.maxEjectionTimeMs)}); Envoy lets pods back at its checks every ${formatDuration(outlier.intervalMs)}.`,
    `At most ${outlier.maxEjectionPercent} % of the pods may be ejected at once${pods > 0 ? `: ${limit} of ${pods}` : ''}.`,
  ];
  if (outlier.minHealthPercent > 0)
    sentences.push(
      `Ejection stops when fewer than ${outlier.minHealthPercent} % of the pods are healthy (minHealthPercent).`,
    );
  return sentences;
}

function poolSentences(pool: EffectiveConnectionPool, from: PolicySource): string[] {
  const sentences: string[] = [];
  const perCaller = 'per calling pod';
  sentences.push(
    pool.maxConnections === null
      ? `Connections${fromWords(from)}: no limit.`
      : `Connections${fromWords(from)}: at most ${pool.maxConnections} ${perCaller} (tcp.maxConnections); beyond, the connection overflow counter grows.`,
  );
  sentences.push(
    pool.http1MaxPendingRequests === null
      ? 'Requests waiting for a connection: no limit.'
      : `Requests waiting for a connection: at most ${pool.http1MaxPendingRequests} ${perCaller} (http1MaxPendingRequests); more are refused at once with 503 and flag UO (circuit breaker open).`,
  );
  if (pool.http2MaxRequests !== null)
    sentences.push(
      `Requests in flight: at most ${pool.http2MaxRequests} ${perCaller} (http2MaxRequests); more get 503 UO.`,
    );
  if (pool.maxRequestsPerConnection !== null)
    sentences.push(
      `Each connection serves at most ${plural(pool.maxRequestsPerConnection, 'request')} (maxRequestsPerConnection).`,
    );
  if (pool.maxRetries !== null)
    sentences.push(`Retries in flight at once: at most ${pool.maxRetries} ${perCaller} (maxRetries).`);
  return sentences;
}

export function explainPolicy(policy: PolicyToExplain): string[] {
  const lb = policy.loadBalancer.value;
  const tls = policy.tlsMode.value;
  return [
    ...outlierSentences(policy.outlierDetection.value, policy.pods, policy.outlierDetection.from),
    ...poolSentences(policy.connectionPool.value, policy.connectionPool.from),
    `Load balancing${fromWords(policy.loadBalancer.from)}: requests go ${algorithms[lb.algorithm] ?? lb.algorithm}${lb.localityLbSetting ? ', preferring pods in the caller’s locality' : ''}.`,
    tls === null
      ? 'TLS: chosen automatically (mutual TLS to pods with a sidecar).'
      : `TLS${fromWords(policy.tlsMode.from)}: ${tls}.`,
  ];
}

function outlierGuidance(outlier: EffectiveOutlierDetection | null, pods: number): PolicyGuidance[] {
  const guidance: PolicyGuidance[] = [];
  const add = (severity: PolicyGuidance['severity'], field: string, message: string) =>
    guidance.push({ severity, field: `outlierDetection.${field}`, message });
  if (!outlier) {
    if (pods > 1)
      guidance.push({
        severity: 'info',
        field: 'outlierDetection',
        message:
          'Without outlier detection a pod that fails keeps receiving traffic. A common start: consecutive5xxErrors 5, interval 10s, baseEjectionTime 30s, maxEjectionPercent 50.',
      });
    return guidance;
  }
  const counts = [outlier.consecutive5xxErrors, outlier.consecutiveGatewayErrors];
  if (counts.every((value) => value === 0))
    add(
      'warning',
      'consecutive5xxErrors',
      'Both consecutive error counts are 0: outlier detection never ejects.',
    );
  if (outlier.consecutive5xxErrors === 1 || outlier.consecutiveGatewayErrors === 1)
    add(
      'warning',
      outlier.consecutive5xxErrors === 1 ? 'consecutive5xxErrors' : 'consecutiveGatewayErrors',
      'A single error ejects a pod: one bad request takes it out of service. 3 to 5 is usual.',
    );
  if (outlier.intervalMs > outlier.baseEjectionTimeMs)
    add(
      'info',
      'interval',
      `The interval (${formatDuration(outlier.intervalMs)}) is longer than baseEjectionTime (${formatDuration(outlier.baseEjectionTimeMs)}): ejected pods return only at the next check, so ejections last up to ${formatDuration(outlier.intervalMs)}.`,
    );
  if (outlier.baseEjectionTimeMs >= 10 * 60_000)
    add(
      'info',
      'baseEjectionTime',
      `Ejections of ${formatDuration(outlier.baseEjectionTimeMs)} or more keep a pod that recovered out for long; 30s to 2m is usual.`,
    );
  if (outlier.maxEjectionPercent >= 100 && pods > 1)
    add(
      'warning',
      'maxEjectionPercent',
      'Every pod may be ejected at once: callers then get 503 with flag UH (no healthy upstream). Keep some capacity, e.g. 50.',
    );
  else if (pods > 1 && Math.floor((pods * outlier.maxEjectionPercent) / 100) === 0)
    add(
      'info',
      'maxEjectionPercent',
      `With ${plural(pods, 'pod')}, ${outlier.maxEjectionPercent} % allows no ejection; Envoy still ejects one pod at a time.`,
    );
  if (pods === 1)
    add(
      'warning',
      'maxEjectionPercent',
      'A single pod: ejecting it leaves callers with no healthy upstream (503 UH) for the ejection time.',
    );
  if (outlier.minHealthPercent >= 50)
    add(
      'info',
      'minHealthPercent',
      `Outlier detection switches off when fewer than ${outlier.minHealthPercent} % of pods are healthy.`,
    );
  return guidance;
}

function poolGuidance(pool: EffectiveConnectionPool): PolicyGuidance[] {
  const guidance: PolicyGuidance[] = [];
  const add = (severity: PolicyGuidance['severity'], field: string, message: string) =>
    guidance.push({ severity, field: `connectionPool.${field}`, message });
  if (pool.maxConnections !== null && pool.maxConnections <= 1)
    add(
      'warning',
      'tcp.maxConnections',
      'One connection per calling pod serialises its HTTP/1.1 requests: any concurrency queues behind it.',
    );
  if (pool.http1MaxPendingRequests !== null && pool.http1MaxPendingRequests <= 1)
    add(
      'warning',
      'http.http1MaxPendingRequests',
      `A queue of ${pool.http1MaxPendingRequests} refuses bursts with 503 UO at once. Size it for the peak concurrency of one calling pod (requests per second × response time).`,
    );
  if (pool.http2MaxRequests !== null && pool.http2MaxRequests <= 1)
    add(
      'warning',
      'http.http2MaxRequests',
      'One request in flight per calling pod: anything concurrent gets 503 UO.',
    );
  if (pool.maxRequestsPerConnection === 1)
    add(
      'info',
      'http.maxRequestsPerConnection',
      'One request per connection turns keep-alive off: every request opens a connection (and a TLS handshake).',
    );
  return guidance;
}

export function policyGuidance(policy: PolicyToExplain): PolicyGuidance[] {
  return [
    ...outlierGuidance(policy.outlierDetection.value, policy.pods),
    ...poolGuidance(policy.connectionPool.value),
  ];
}
