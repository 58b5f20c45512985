/**
 * Envoy's routing decision for one request, from the live VirtualService and DestinationRule:
 * the first http route whose match applies, a weighted destination, fault injection, timeout and
 * retries, then the subset's pods and the merged traffic policy.
 */
import type { SeededRandom } from '../random';
import {
  Cache3,
  fullyQualified,
  type Json,
  list,
  type MeshConfig,
  type MeshPod,
  type MeshService,
  record,
  strings,
} from './mesh-config';

export interface SimulatedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  port: number;
}

export interface FaultDecision {
  /** added latency in milliseconds, when the delay fault fires */
  delayMs: number;
  /** HTTP status returned by the abort fault, when it fires */
  abortStatus: number | undefined;
}

export interface RouteDecision {
  service: MeshService;
  subset: string | undefined;
  port: number;
  fault: FaultDecision;
  /** milliseconds; undefined = Istio's default (no timeout) */
  timeoutMs: number | undefined;
  retries: { attempts: number; retryOn: string[] };
  virtualService: string | undefined;
  /** index into spec.http of the route that matched */
  routeIndex: number | undefined;
}

export interface TrafficPolicy {
  tlsMode: string | undefined;
  outlier: OutlierPolicy | undefined;
  connectionPool: { maxConnections: number; maxPending: number; maxRequests: number };
  loadBalancer: string;
}

export interface OutlierPolicy {
  consecutive5xxErrors: number;
  consecutiveGatewayErrors: number;
  intervalMs: number;
  baseEjectionTimeMs: number;
  maxEjectionPercent: number;
}

/** `1.5s`, `100ms`, `2m`, `1h` -> milliseconds */
export function parseDuration(value: unknown, fallbackMs: number): number {
  if (typeof value !== 'string') return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!match) return fallbackMs;
  const amount = Number(match[1]);
  const unit = match[2];
  return unit === 'ms'
    ? amount
    : unit === 's'
      ? amount * 1000
      : unit === 'm'
        ? amount * 60_000
        : amount * 3_600_000;
}

function stringMatches(condition: Json, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (typeof condition.exact === 'string') return value === condition.exact;
  if (typeof condition.prefix === 'string') return value.startsWith(condition.prefix);
  if (typeof condition.regex === 'string') {
    try {
      return new RegExp(`^(?:${condition.regex})$`).test(value);
    } catch {
      return false;
    }
  }
  return true;
}

export function requestMatches(
  match: Json,
  request: SimulatedRequest,
  sourceLabels: Record<string, string>,
  sourceNamespace: string,
): boolean {
  const path = request.path.split('?')[0] ?? '/';
  if (match.uri !== undefined && !stringMatches(record(match.uri), path)) return false;
  if (match.method !== undefined && !stringMatches(record(match.method), request.method)) return false;
  for (const [name, condition] of Object.entries(record(match.headers))) {
    if (!stringMatches(record(condition), request.headers[name.toLowerCase()])) return false;
  }
  for (const [name, condition] of Object.entries(record(match.withoutHeaders))) {
    if (stringMatches(record(condition), request.headers[name.toLowerCase()])) return false;
  }
  if (typeof match.port === 'number' && match.port !== request.port) return false;
  for (const [key, value] of Object.entries(record(match.sourceLabels)))
    if (sourceLabels[key] !== value) return false;
  if (typeof match.sourceNamespace === 'string' && match.sourceNamespace !== sourceNamespace) return false;
  return true;
}

function pickWeighted<T extends { weight: number }>(entries: T[], random: SeededRandom): T | undefined {
  const total = entries.reduce((sum, entry) => sum + entry.weight, 0);
  if (total <= 0) return entries[0];
  let point = random.next() * total;
  for (const entry of entries) {
    point -= entry.weight;
    if (point < 0) return entry;
  }
  return entries[entries.length - 1];
}

function percentFires(percentage: unknown, random: SeededRandom): boolean {
  const value = record(percentage).value;
  const percent = typeof value === 'number' ? value : 100;
  return random.next() * 100 < percent;
}

function faultOf(route: Json, random: SeededRandom): FaultDecision {
  const fault = record(route.fault);
  const decision: FaultDecision = { delayMs: 0, abortStatus: undefined };
  const delay = record(fault.delay);
  if (
    Object.keys(delay).length > 0 &&
    percentFires(
      delay.percentage ?? (typeof delay.percent === 'number' ? { value: delay.percent } : undefined),
      random,
    )
  ) {
    decision.delayMs = parseDuration(delay.fixedDelay, 0);
  }
  const abort = record(fault.abort);
  if (typeof abort.httpStatus === 'number' && percentFires(abort.percentage, random))
    decision.abortStatus = abort.httpStatus;
  return decision;
}

/** Route a request for `target` from `source`; undefined when the route's host is not a known service. */
export function route(
  config: MeshConfig,
  source: MeshPod | undefined,
  sourceNamespace: string,
  target: MeshService,
  request: SimulatedRequest,
  random: SeededRandom,
  gateway = 'mesh',
): RouteDecision | undefined {
  const virtualService = config.virtualServiceFor(target.fqdn, sourceNamespace, gateway);
  const base: RouteDecision = {
    service: target,
    subset: undefined,
    port: request.port,
    fault: { delayMs: 0, abortStatus: undefined },
    timeoutMs: undefined,
    retries: {
      attempts: 2,
      retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'],
    },
    virtualService: undefined,
    routeIndex: undefined,
  };
  if (!virtualService) return base;
  const namespace = virtualService.metadata.namespace ?? '';
  const routes = list(record(virtualService.spec).http);
  const index = routes.findIndex((candidate) => {
    const matches = list(candidate.match);
    return (
      matches.length === 0 ||
      matches.some((match) => requestMatches(match, request, source?.labels ?? {}, sourceNamespace))
    );
  });
  const chosen = routes[index];
  if (!chosen) return undefined;
  const destinations = list(chosen.route).map((entry) => ({
    entry,
    weight: typeof entry.weight === 'number' ? entry.weight : list(chosen.route).length === 1 ? 100 : 0,
  }));
  const picked = pickWeighted(destinations, random)?.entry;
  const destination = record(picked?.destination);
  const host =
    typeof destination.host === 'string' ? fullyQualified(destination.host, namespace) : target.fqdn;
  const service =
    config.services.get(host) ??
    (typeof destination.host === 'string'
      ? config.externalService(destination.host, sourceNamespace, 'http')
      : target);
  if (!service) return undefined;
  const retries = record(chosen.retries);
  return {
    service,
    subset: typeof destination.subset === 'string' ? destination.subset : undefined,
    port:
      typeof record(destination.port).number === 'number'
        ? (record(destination.port).number as number)
        : request.port,
    fault: faultOf(chosen, random),
    timeoutMs: chosen.timeout === undefined ? undefined : parseDuration(chosen.timeout, 0) || undefined,
    retries:
      Object.keys(retries).length === 0
        ? base.retries
        : {
            attempts: typeof retries.attempts === 'number' ? retries.attempts : 2,
            retryOn: typeof retries.retryOn === 'string' ? retries.retryOn.split(',') : base.retries.retryOn,
          },
    virtualService: `${namespace}/${virtualService.metadata.name}`,
    routeIndex: index,
  };
}

function mergePolicy(base: Json, override: Json): Json {
  return { ...base, ...override };
}

export interface PolicyDecision {
  policy: TrafficPolicy;
  subsetLabels: Record<string, string> | undefined;
  rule: string | undefined;
}

/** Policies per MeshConfig: a view's DestinationRules do not change, so neither do its policies. */
const policies = new WeakMap<MeshConfig, Cache3<PolicyDecision>>();

/**
 * The DestinationRule's policy for a subset (subset-level settings override top-level ones per
 * field), memoised per view: callers share the answer and must not change it.
 */
export function trafficPolicy(
  config: MeshConfig,
  fqdn: string,
  subset: string | undefined,
  callerNamespace: string,
): PolicyDecision {
  let cache = policies.get(config);
  if (!cache) {
    cache = new Cache3();
    policies.set(config, cache);
  }
  return cache.get(fqdn, subset ?? '', callerNamespace, (host, name, namespace) =>
    computeTrafficPolicy(config, host, name || undefined, namespace),
  );
}

function computeTrafficPolicy(
  config: MeshConfig,
  fqdn: string,
  subset: string | undefined,
  callerNamespace: string,
): PolicyDecision {
  const rule = config.destinationRuleFor(fqdn, callerNamespace);
  const spec = record(rule?.spec);
  const top = record(spec.trafficPolicy);
  const subsetSpec = subset ? list(spec.subsets).find((candidate) => candidate.name === subset) : undefined;
  const effective = mergePolicy(top, record(subsetSpec?.trafficPolicy));
  const outlier = record(effective.outlierDetection);
  const pool = record(effective.connectionPool);
  const tcp = record(pool.tcp);
  const http = record(pool.http);
  const number = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
  const hasOutlier = Object.keys(outlier).length > 0;
  return {
    policy: {
      tlsMode:
        typeof record(effective.tls).mode === 'string' ? (record(effective.tls).mode as string) : undefined,
      outlier: hasOutlier
        ? {
            consecutive5xxErrors: number(outlier.consecutive5xxErrors ?? outlier.consecutiveErrors, 5),
            consecutiveGatewayErrors: number(outlier.consecutiveGatewayErrors, 0),
            intervalMs: parseDuration(outlier.interval, 10_000),
            baseEjectionTimeMs: parseDuration(outlier.baseEjectionTime, 30_000),
            maxEjectionPercent: number(outlier.maxEjectionPercent, 10),
          }
        : undefined,
      connectionPool: {
        maxConnections: number(tcp.maxConnections, 2 ** 32 - 1),
        maxPending: number(http.http1MaxPendingRequests, 2 ** 32 - 1),
        maxRequests: number(http.http2MaxRequests, 2 ** 32 - 1),
      },
      loadBalancer:
        typeof record(effective.loadBalancer).simple === 'string'
          ? (record(effective.loadBalancer).simple as string)
          : 'LEAST_REQUEST',
    },
    subsetLabels: subsetSpec ? (record(subsetSpec.labels) as Record<string, string>) : undefined,
    rule: rule ? `${rule.metadata.namespace}/${rule.metadata.name}` : undefined,
  };
}

export function subsetPods(pods: MeshPod[], labels: Record<string, string> | undefined): MeshPod[] {
  if (!labels) return pods;
  return pods.filter((pod) => Object.entries(labels).every(([key, value]) => pod.labels[key] === value));
}

export interface SubsetMembers {
  pods: MeshPod[];
  /** the pods' IPs, in the same order */
  addresses: string[];
}

const noSubset = {};
const members = new WeakMap<MeshConfig, Map<MeshService, WeakMap<object, SubsetMembers>>>();

/** A service's pods in a subset (`labels` from trafficPolicy(), undefined: all), memoised per view. */
export function subsetMembers(
  config: MeshConfig,
  service: MeshService,
  labels: Record<string, string> | undefined,
): SubsetMembers {
  let byService = members.get(config);
  if (!byService) {
    byService = new Map();
    members.set(config, byService);
  }
  let bySubset = byService.get(service);
  if (!bySubset) {
    bySubset = new WeakMap();
    byService.set(service, bySubset);
  }
  const key = labels ?? noSubset;
  let found = bySubset.get(key);
  if (!found) {
    const pods = subsetPods(config.podsOf(service), labels);
    found = { pods, addresses: pods.map((pod) => pod.ip) };
    bySubset.set(key, found);
  }
  return found;
}

export { strings };
