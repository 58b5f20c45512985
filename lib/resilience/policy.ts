/**
 * Which DestinationRule a caller's Envoy applies to a service, and the traffic policy it gets per
 * cluster (a service port, whole or one subset), as Istio computes them:
 *
 * - the rule: among DestinationRules whose `host` covers the service and that are exported to the
 *   caller's namespace, the one in the caller's namespace first, then the service's, then the
 *   mesh's root namespace; a more specific host before a wildcard. A rule with a
 *   `workloadSelector` applies only to matching workloads of its own namespace. Rules for the
 *   same host in one namespace are merged by Istio: the first keeps its traffic policy, the
 *   others add their subsets.
 * - the policy: top-level `trafficPolicy`, then its `portLevelSettings` for the port, then the
 *   subset's `trafficPolicy`, then the subset's own `portLevelSettings`. Each step replaces whole
 *   sections (connectionPool, outlierDetection, loadBalancer, tls), never single fields.
 * - defaults where nothing is set: Istio's and Envoy's (no pool limits, no outlier detection,
 *   LEAST_REQUEST; with an outlierDetection section, 5 consecutive 5xx, 10 s interval, 30 s base
 *   ejection time, 10 % max ejection).
 */

import type { ConfigSnapshot, IstioObject, PodInfo, ServiceInfo } from '../types/mesh-config';
import type {
  EffectiveConnectionPool,
  EffectiveLoadBalancer,
  EffectiveOutlierDetection,
  PolicySource,
} from '../types/resilience';
import { exportScope, hostCovers, isWildcardHost, toFqdn, visibleIn } from '../validation/hosts';

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(object).filter((item): item is Json => item !== undefined) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function labels(value: unknown): Record<string, string> {
  const entries = Object.entries(object(value) ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return Object.fromEntries(entries);
}

/** Istio/protobuf durations: `10s`, `1.5s`, `100ms`, `2m`, `1h`, `1h30m`; undefined when unreadable. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  const factors: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 0.001,
    µs: 0.001,
    ns: 1e-6,
  };
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    total += Number(match[1]) * (factors[match[2] ?? 's'] ?? 0);
  }
  return total;
}

/** Envoy's default cap on one ejection (`max_ejection_time`), raised to baseEjectionTime if that is longer. */
export const DEFAULT_MAX_EJECTION_TIME_MS = 300_000;

const unlimited = 2 ** 32 - 1;

/** A pool limit as written; null for unset, 0 where 0 means unset, and Istio's 2^32-1. */
function limit(value: unknown, zeroIsUnset = false): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (value >= unlimited || (zeroIsUnset && value === 0)) return null;
  return value;
}

export function effectiveConnectionPool(section: Json | undefined): EffectiveConnectionPool {
  const tcp = object(section?.tcp);
  const http = object(section?.http);
  return {
    maxConnections: limit(tcp?.maxConnections, true),
    http1MaxPendingRequests: limit(http?.http1MaxPendingRequests, true),
    http2MaxRequests: limit(http?.http2MaxRequests, true),
    maxRequestsPerConnection: limit(http?.maxRequestsPerConnection, true),
    maxRetries: limit(http?.maxRetries, true),
    connectTimeoutMs: parseDurationMs(tcp?.connectTimeout) ?? 10_000,
    idleTimeoutMs: parseDurationMs(http?.idleTimeout) ?? null,
  };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The outlier detection Envoy runs with, or null when the section is absent (Istio sets none). */
export function effectiveOutlierDetection(section: Json | undefined): EffectiveOutlierDetection | null {
  if (!section) return null;
  const split = section.splitExternalLocalOriginErrors === true;
  const baseEjectionTimeMs = parseDurationMs(section.baseEjectionTime) ?? 30_000;
  // `consecutiveErrors` (deprecated) counts 502/503/504 only: Istio maps it to gateway failures.
  const legacy = count(section.consecutiveErrors);
  return {
    consecutive5xxErrors: count(section.consecutive5xxErrors) ?? 5,
    consecutiveGatewayErrors: count(section.consecutiveGatewayErrors) ?? legacy ?? 0,
    consecutiveLocalOriginFailures: split ? (count(section.consecutiveLocalOriginFailures) ?? 5) : null,
    splitExternalLocalOriginErrors: split,
    intervalMs: parseDurationMs(section.interval) ?? 10_000,
    baseEjectionTimeMs,
    maxEjectionPercent: Math.min(100, count(section.maxEjectionPercent) ?? 10),
    minHealthPercent: count(section.minHealthPercent) ?? 0,
    maxEjectionTimeMs: Math.max(DEFAULT_MAX_EJECTION_TIME_MS, baseEjectionTimeMs),
  };
}

export function effectiveLoadBalancer(section: Json | undefined): EffectiveLoadBalancer {
  const consistentHash = object(section?.consistentHash) ?? null;
  const simple = typeof section?.simple === 'string' ? section.simple : undefined;
  return {
    algorithm: consistentHash
      ? 'consistentHash'
      : simple && simple !== 'UNSPECIFIED'
        ? simple === 'LEAST_CONN'
          ? 'LEAST_REQUEST'
          : simple
        : 'LEAST_REQUEST',
    consistentHash,
    localityLbSetting: object(section?.localityLbSetting) !== undefined,
    warmupDurationMs: parseDurationMs(section?.warmupDurationSecs) ?? null,
  };
}

type SectionName = 'connectionPool' | 'outlierDetection' | 'loadBalancer' | 'tls';
const sections: SectionName[] = ['connectionPool', 'outlierDetection', 'loadBalancer', 'tls'];

export interface MergedPolicy {
  sections: Partial<Record<SectionName, Json>>;
  from: Record<SectionName, PolicySource>;
}

function portSettings(policy: Json | undefined, port: number): Json | undefined {
  return list(policy?.portLevelSettings).find((entry) => object(entry.port)?.number === port);
}

/** Istio's merge for one port of one subset (or the whole service when `subset` is undefined). */
export function mergeTrafficPolicy(spec: Json, subset: Json | undefined, port: number): MergedPolicy {
  const top = object(spec.trafficPolicy);
  const own = object(subset?.trafficPolicy);
  const steps: [Json | undefined, PolicySource][] = [
    [top, 'top-level'],
    [portSettings(top, port), 'port'],
    [own, 'subset'],
    [portSettings(own, port), 'subset-port'],
  ];
  const merged: MergedPolicy = {
    sections: {},
    from: { connectionPool: 'default', outlierDetection: 'default', loadBalancer: 'default', tls: 'default' },
  };
  for (const [policy, source] of steps) {
    for (const name of sections) {
      const section = object(policy?.[name]);
      if (section) {
        merged.sections[name] = section;
        merged.from[name] = source;
      }
    }
  }
  return merged;
}

/** A DestinationRule's `host` resolved in its namespace. */
function ruleHost(rule: IstioObject): string {
  return toFqdn(typeof rule.spec.host === 'string' ? rule.spec.host : '', rule.namespace);
}

function selectorOf(rule: IstioObject): Record<string, string> | undefined {
  const selector = labels(object(rule.spec.workloadSelector)?.matchLabels);
  return Object.keys(selector).length > 0 ? selector : undefined;
}

export interface Caller {
  namespace: string;
  /** the calling workload's labels; unknown callers see only rules without a workloadSelector */
  labels?: Record<string, string>;
}

/** The rule Istio picks for `caller`, with the subsets of same-host rules merged in; undefined: none. */
export interface SelectedRule {
  rule: IstioObject;
  /** the resolved host of the rule */
  host: string;
  /** subsets: the rule's own, then those the merged rules add */
  subsets: Json[];
}

export function destinationRuleFor(
  config: Pick<ConfigSnapshot, 'istio' | 'rootNamespace'>,
  service: Pick<ServiceInfo, 'fqdn' | 'namespace'>,
  caller: Caller,
): SelectedRule | undefined {
  const rank = (namespace: string) =>
    namespace === caller.namespace
      ? 0
      : namespace === service.namespace
        ? 1
        : namespace === config.rootNamespace
          ? 2
          : 3;
  const candidates = config.istio
    .filter((object) => object.kind === 'DestinationRule')
    .filter((rule) => rank(rule.namespace) < 3 && hostCovers(ruleHost(rule), service.fqdn))
    .filter((rule) => visibleIn(exportScope(strings(rule.spec.exportTo), rule.namespace), caller.namespace))
    .filter((rule) => {
      const selector = selectorOf(rule);
      if (!selector) return true;
      const own = caller.labels;
      return (
        rule.namespace === caller.namespace &&
        own !== undefined &&
        Object.entries(selector).every(([key, value]) => own[key] === value)
      );
    });
  if (candidates.length === 0) return undefined;
  // Exact hosts before wildcards, longer wildcards before shorter; selectors before plain rules.
  const specificity = (rule: IstioObject) => {
    const host = ruleHost(rule);
    return isWildcardHost(host) ? host.length : 10_000;
  };
  candidates.sort(
    (a, b) =>
      rank(a.namespace) - rank(b.namespace) ||
      specificity(b) - specificity(a) ||
      Number(selectorOf(b) !== undefined) - Number(selectorOf(a) !== undefined) ||
      a.name.localeCompare(b.name),
  );
  const [chosen, ...rest] = candidates as [IstioObject, ...IstioObject[]];
  const host = ruleHost(chosen);
  const subsets = [...list(chosen.spec.subsets)];
  const names = new Set(subsets.map((subset) => subset.name));
  for (const other of rest) {
    if (other.namespace !== chosen.namespace || ruleHost(other) !== host) continue;
    if ((selectorOf(other) === undefined) !== (selectorOf(chosen) === undefined)) continue;
    for (const subset of list(other.spec.subsets)) {
      if (names.has(subset.name)) continue;
      names.add(subset.name);
      subsets.push(subset);
    }
  }
  return { rule: chosen, host, subsets };
}

/** The service's pods (running, selected by it) in a subset; all of them without labels. */
export function podsInSubset(
  pods: readonly PodInfo[],
  service: Pick<ServiceInfo, 'namespace' | 'selector'>,
  subsetLabels: Record<string, string>,
): PodInfo[] {
  const selector = Object.entries(service.selector);
  if (selector.length === 0) return [];
  return pods.filter(
    (pod) =>
      pod.namespace === service.namespace &&
      pod.phase === 'Running' &&
      selector.every(([key, value]) => pod.labels[key] === value) &&
      Object.entries(subsetLabels).every(([key, value]) => pod.labels[key] === value),
  );
}

export function subsetName(subset: Json): string {
  return typeof subset.name === 'string' ? subset.name : '';
}

export function subsetLabels(subset: Json | undefined): Record<string, string> {
  return labels(subset?.labels);
}
