/**
 * Local rate limits that EnvoyFilters add (Envoy's `envoy.filters.http.local_ratelimit`), on the
 * workloads they apply to. An EnvoyFilter selects with `workloadSelector.labels` (not
 * `selector.matchLabels`); without one it covers its namespace, or the mesh from the root
 * namespace. Requests over the bucket are answered 429 by the sidecar (response flag `RL`).
 */
import type { ConfigSnapshot, IstioObject } from '../types/mesh-config';
import type { LocalRateLimitSummary, WorkloadRef } from '../types/security';
import { labelsMatch, ofKind, type Raw, record, records, refOf, text } from './spec';

const FILTER_NAME = 'envoy.filters.http.local_ratelimit';
const TYPE_NAME = 'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';

function labelsOf(filter: IstioObject): Record<string, string> | undefined {
  const labels = Object.entries(record(record(filter.spec.workloadSelector).labels)).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return labels.length > 0 ? Object.fromEntries(labels) : undefined;
}

/** The LocalRateLimit settings in a typed_config, in either the TypedStruct or the direct form. */
function localRateLimitConfig(typedConfig: Raw): Raw | undefined {
  const type = `${text(typedConfig['@type']) ?? ''} ${text(typedConfig.type_url) ?? ''}`;
  if (!type.includes(TYPE_NAME)) return undefined;
  const wrapped = record(typedConfig.value);
  return Object.keys(wrapped).length > 0 ? wrapped : typedConfig;
}

/** Seconds of a duration such as `60s`, `1.5s`, `1m`; undefined when unreadable. */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text(value) ?? '');
  if (!match) return undefined;
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
}

function percentOf(fraction: unknown): number | undefined {
  const value = record(record(fraction).default_value);
  if (Object.keys(value).length === 0) return undefined;
  const numerator = typeof value.numerator === 'number' ? value.numerator : 0;
  const denominator = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 }[
    (text(value.denominator) ?? 'HUNDRED') as 'HUNDRED'
  ];
  return (numerator / (denominator ?? 100)) * 100;
}

interface Found {
  config: Raw;
  context: string;
  /** an HTTP_ROUTE patch: the limit covers the routes it matches, not the whole listener */
  route: boolean;
}

function findLimits(filter: IstioObject): Found[] {
  const found: Found[] = [];
  for (const patch of records(filter.spec.configPatches)) {
    const context = text(record(patch.match).context) ?? 'ANY';
    const value = record(record(patch.patch).value);
    if (text(value.name) === FILTER_NAME || localRateLimitConfig(record(value.typed_config))) {
      const config = localRateLimitConfig(record(value.typed_config)) ?? record(value.typed_config);
      found.push({ config, context, route: false });
    }
    const perFilter = record(value.typed_per_filter_config)[FILTER_NAME];
    if (perFilter !== undefined) {
      const config = localRateLimitConfig(record(perFilter)) ?? record(perFilter);
      found.push({ config, context, route: true });
    }
  }
  return found;
}

/** A token bucket in words: "4 requests per 60 s (bursts up to 4)". */
export function describeBucket(bucket: {
  tokensPerFill?: number;
  fillIntervalSeconds?: number;
  maxTokens?: number;
}): string {
  if (bucket.tokensPerFill === undefined || bucket.fillIntervalSeconds === undefined)
    return 'no token bucket set (the filter passes every request)';
  const burst = bucket.maxTokens !== undefined ? ` (bursts up to ${bucket.maxTokens})` : '';
  return `${bucket.tokensPerFill} requests per ${bucket.fillIntervalSeconds} s${burst}`;
}

function summarise(snapshot: ConfigSnapshot, filter: IstioObject, found: Found): LocalRateLimitSummary {
  const bucket = record(found.config.token_bucket);
  const numberOr = (value: unknown) => (typeof value === 'number' ? value : undefined);
  const maxTokens = numberOr(bucket.max_tokens);
  const tokensPerFill = numberOr(bucket.tokens_per_fill) ?? maxTokens;
  const fillIntervalSeconds = durationSeconds(bucket.fill_interval);
  const enabledPercent = percentOf(found.config.filter_enabled);
  const enforcedPercent = percentOf(found.config.filter_enforced);
  const selector = labelsOf(filter);
  const mesh = filter.namespace === snapshot.rootNamespace && !selector;
  const selects: WorkloadRef[] = snapshot.workloads
    .filter(
      (workload) =>
        (mesh || filter.namespace === snapshot.rootNamespace || workload.namespace === filter.namespace) &&
        labelsMatch(selector ?? {}, workload.labels),
    )
    .map((workload) => ({ ...refOf(workload), sidecar: workload.sidecar }));
  const direction =
    found.context === 'SIDECAR_INBOUND'
      ? 'requests the workload receives'
      : found.context === 'SIDECAR_OUTBOUND'
        ? 'requests the workload sends'
        : found.context === 'GATEWAY'
          ? 'requests through the gateway'
          : 'requests';
  const enabled = enabledPercent ?? 0;
  const enforced = Math.min(enabled, enforcedPercent ?? 0);
  const enforcement =
    enabled === 0
      ? '; not enabled (filter_enabled unset or 0 %): Envoy skips it'
      : enforced === 0
        ? '; enabled but not enforced (filter_enforced unset or 0 %): only counted'
        : enforced < 100
          ? `; enforced on ${enforced} % of requests`
          : '';
  const scope = found.route ? ' on the matched routes' : '';
  return {
    ...refOf(filter),
    context: found.context,
    ...(selector ? { selector } : {}),
    selects,
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(tokensPerFill !== undefined ? { tokensPerFill } : {}),
    ...(fillIntervalSeconds !== undefined ? { fillIntervalSeconds } : {}),
    ...(enabledPercent !== undefined ? { enabledPercent } : {}),
    ...(enforcedPercent !== undefined ? { enforcedPercent } : {}),
    summary: `${describeBucket({ tokensPerFill, fillIntervalSeconds, maxTokens })} for ${direction}${scope}${enforcement}; over it the sidecar answers 429`,
  };
}

/** Every local rate limit in the snapshot's EnvoyFilters, sorted by namespace and name. */
export function listRateLimits(snapshot: ConfigSnapshot): LocalRateLimitSummary[] {
  return ofKind(snapshot, 'EnvoyFilter')
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
    .flatMap((filter) => findLimits(filter).map((found) => summarise(snapshot, filter, found)));
}
