/**
 * Pure pieces of the resilience answer: Envoy hosts as the API shows them, the service's pods
 * across callers, callers and UO/UH responses from telemetry, and counter increases.
 */
import { type CircuitBreakerThresholds, type EnvoyHost, hostHealth, limitOf } from '../envoy/clusters';
import type {
  CallerView,
  CircuitBreakerLimits,
  FlaggedResponses,
  HostEjection,
  HostState,
  PodRef,
  PodResilience,
  ResilienceSummary,
  UpstreamHost,
  WorkloadRef,
} from '../types/resilience';
import type { RequestSample } from '../types/telemetry';
import { ejectedText } from './ejection-limits';
import type { EjectionEstimate } from './ejections';

const iso = (ms: number) => new Date(ms).toISOString();

export function hostEjection(estimate: EjectionEstimate | undefined): HostEjection | null {
  if (!estimate) return null;
  return {
    seenAt: iso(estimate.seenAt),
    after: estimate.after === null ? null : iso(estimate.after),
    count: estimate.count,
    countAtLeast: estimate.countAtLeast,
    returnEarliest: estimate.returnEarliest === null ? null : iso(estimate.returnEarliest),
    returnLatest: estimate.returnLatest === null ? null : iso(estimate.returnLatest),
    note: estimate.note,
  };
}

export function upstreamHost(
  host: EnvoyHost,
  pod: PodRef | null,
  ejection: HostEjection | null,
): UpstreamHost {
  const stat = (name: string) => host.stats[name] ?? 0;
  return {
    address: host.address,
    port: host.port ?? null,
    pod,
    state: hostHealth(host.healthFlags),
    flags: host.healthFlags,
    stats: {
      requests: stat('rq_total'),
      errors: stat('rq_error'),
      timeouts: stat('rq_timeout'),
      activeRequests: stat('rq_active'),
      activeConnections: stat('cx_active'),
      connectFailures: stat('cx_connect_fail'),
    },
    successRate: host.successRate ?? null,
    priority: host.priority,
    zone: host.zone,
    ejection,
  };
}

export function circuitBreakerLimits(
  thresholds: readonly CircuitBreakerThresholds[],
): CircuitBreakerLimits[] {
  return thresholds.map((entry) => ({
    priority: entry.priority,
    maxConnections: limitOf(entry.maxConnections) ?? null,
    maxPendingRequests: limitOf(entry.maxPendingRequests) ?? null,
    maxRequests: limitOf(entry.maxRequests) ?? null,
    maxRetries: limitOf(entry.maxRetries) ?? null,
  }));
}

/** Worst first. */
const stateOrder: HostState[] = [
  'ejected',
  'failed-health-check',
  'unhealthy',
  'draining',
  'pending-removal',
  'pending-health-check',
  'degraded',
  'healthy',
];

/** The service's pods as all polled callers see them. */
export function podResilience(
  pods: readonly { pod: PodRef; address: string; subsets: string[] }[],
  callers: readonly CallerView[],
): PodResilience[] {
  return pods.map(({ pod, address, subsets }) => {
    const views = callers.map((caller) =>
      caller.clusters.flatMap((cluster) => cluster.hosts.filter((host) => host.address === address)),
    );
    const seen = views.filter((hosts) => hosts.length > 0);
    const states = seen.flat().map((host) => host.state);
    const worst = stateOrder.find((state) => states.includes(state)) ?? 'healthy';
    return {
      pod,
      address,
      subsets,
      state: worst,
      ejectedBy: seen.filter((hosts) => hosts.some((host) => host.state === 'ejected')).length,
      seenBy: seen.length,
    };
  });
}

export function summarize(pods: readonly PodResilience[], callers: number): ResilienceSummary {
  const ejectedPods = pods.filter((pod) => pod.ejectedBy > 0).length;
  return { pods: pods.length, ejectedPods, callers, text: ejectedText(ejectedPods, pods.length) };
}

/** Workloads with requests to `fqdn` in the telemetry, whoever reported them. */
export function callersFromTelemetry(requests: readonly RequestSample[], fqdn: string): WorkloadRef[] {
  const found = new Map<string, WorkloadRef>();
  for (const sample of requests) {
    if (sample.service.fqdn !== fqdn || sample.rate <= 0) continue;
    const { namespace, workload } = sample.source;
    if (namespace === 'unknown' || workload === 'unknown') continue;
    found.set(`${namespace}/${workload}`, { namespace, workload });
  }
  return [...found.values()].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.workload.localeCompare(b.workload),
  );
}

/**
 * Requests to `fqdn` that Envoy answered itself with `UO` (overflow) or `UH` (no healthy host),
 * per caller workload. Only the caller's proxy sees them, so only source reports count.
 */
export function flaggedResponses(
  requests: readonly RequestSample[],
  fqdn: string,
  windowSeconds: number,
): FlaggedResponses[] {
  const found = new Map<string, FlaggedResponses>();
  for (const sample of requests) {
    if (sample.service.fqdn !== fqdn || sample.reporter !== 'source') continue;
    const flags = sample.responseFlags.split(',');
    for (const flag of ['UO', 'UH'] as const) {
      if (!flags.includes(flag)) continue;
      const key = `${sample.source.namespace}/${sample.source.workload}|${flag}|${sample.responseCode}`;
      const entry = found.get(key) ?? {
        source: { namespace: sample.source.namespace, workload: sample.source.workload },
        flag,
        responseCode: sample.responseCode,
        rate: 0,
        count: 0,
      };
      entry.rate += sample.rate;
      entry.count = Math.round(entry.rate * windowSeconds);
      found.set(key, entry);
    }
  }
  return [...found.values()];
}

/** A counter's increase over samples in time order, resets counted as Prometheus does. */
export function counterIncrease(values: readonly number[]): number {
  let total = 0;
  for (let index = 1; index < values.length; index += 1) {
    const previous = values[index - 1] ?? 0;
    const current = values[index] ?? 0;
    total += current >= previous ? current - previous : current;
  }
  return total;
}
