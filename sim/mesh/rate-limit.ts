/**
 * Envoy's local rate limit (`envoy.filters.http.local_ratelimit`) as Istio's EnvoyFilters add it:
 * a token bucket per filter instance, that is per sidecar (the bucket is shared across Envoy's
 * workers) — on the inbound listener (SIDECAR_INBOUND: what a pod receives) or the outbound one
 * (SIDECAR_OUTBOUND: what a pod sends), ANY meaning both. The bucket starts full with `max_tokens`
 * and gains `tokens_per_fill` every `fill_interval`, never above `max_tokens`. A request the
 * filter is enabled for (`filter_enabled`, default 0 %) takes a token; with none left it is rate
 * limited, and answered 429 (response flag `RL`) when enforced (`filter_enforced`, default 0 %),
 * else only counted. The EnvoyFilter's parsing is the dashboard's (lib/security/rate-limits.ts).
 *
 * Not modelled: GATEWAY patches (gateway listeners), per-route buckets (an HTTP_ROUTE patch's
 * `typed_per_filter_config` is taken to cover the whole listener) and descriptors.
 */
import { listRateLimits } from '../../lib/security/rate-limits';
import type { ConfigSnapshot, IstioObject } from '../../lib/types/mesh-config';
import type { SimulatedCluster } from '../cluster/cluster';
import type { KubeObject } from '../cluster/types';
import type { SeededRandom } from '../random';
import { type MeshPod, rootNamespace } from './mesh-config';

export const envoyFilterResource = 'networking.istio.io/envoyfilters';

/** One local rate limit of one EnvoyFilter patch, as the sidecars it selects enforce it. */
export interface LocalRateLimit {
  /** `namespace/name#index`: one bucket per sidecar for each */
  key: string;
  namespace: string;
  /** `workloadSelector.labels`; undefined: every pod of the namespace (of the mesh from the root) */
  selector: Record<string, string> | undefined;
  inbound: boolean;
  outbound: boolean;
  maxTokens: number;
  tokensPerFill: number;
  /** milliseconds between fills */
  fillIntervalMs: number;
  /** shares of requests (0..1) the filter runs for, and enforces its decision on */
  enabled: number;
  enforced: number;
}

/** The IstioObject the dashboard's parser reads, from a stored EnvoyFilter. */
function istioObjectOf(object: KubeObject): IstioObject {
  return {
    kind: 'EnvoyFilter',
    apiVersion: object.apiVersion ?? 'networking.istio.io/v1alpha3',
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name ?? '',
    resourceVersion: object.metadata.resourceVersion ?? '',
    labels: object.metadata.labels ?? {},
    annotations: object.metadata.annotations ?? {},
    spec: (object.spec ?? {}) as Record<string, unknown>,
  };
}

/**
 * The enforceable local rate limits of some EnvoyFilters: those with a token bucket (a filter
 * without one passes every request) on a sidecar listener.
 */
export function localRateLimits(filters: KubeObject[], root = rootNamespace): LocalRateLimit[] {
  const snapshot: ConfigSnapshot = {
    namespaces: [],
    services: [],
    workloads: [],
    pods: [],
    rootNamespace: root,
    istio: filters.map(istioObjectOf),
    asOf: '',
  };
  const indexes = new Map<string, number>();
  const limits: LocalRateLimit[] = [];
  for (const summary of listRateLimits(snapshot)) {
    const ref = `${summary.namespace}/${summary.name}`;
    const index = indexes.get(ref) ?? 0;
    indexes.set(ref, index + 1);
    const { tokensPerFill, fillIntervalSeconds } = summary;
    if (tokensPerFill === undefined || fillIntervalSeconds === undefined || fillIntervalSeconds <= 0)
      continue;
    const inbound = summary.context === 'SIDECAR_INBOUND' || summary.context === 'ANY';
    const outbound = summary.context === 'SIDECAR_OUTBOUND' || summary.context === 'ANY';
    if (!inbound && !outbound) continue;
    const enabled = (summary.enabledPercent ?? 0) / 100;
    limits.push({
      key: `${ref}#${index}`,
      namespace: summary.namespace,
      selector: summary.selector,
      inbound,
      outbound,
      maxTokens: summary.maxTokens ?? tokensPerFill,
      tokensPerFill,
      fillIntervalMs: fillIntervalSeconds * 1000,
      enabled,
      enforced: Math.min(enabled, (summary.enforcedPercent ?? 0) / 100),
    });
  }
  return limits;
}

/** Whether a limit's EnvoyFilter applies to a pod: its namespace (or the root's), selector matching. */
export function selects(
  limit: LocalRateLimit,
  pod: { namespace: string; labels: Record<string, string> },
  root = rootNamespace,
): boolean {
  if (limit.namespace !== pod.namespace && limit.namespace !== root) return false;
  for (const key in limit.selector ?? {}) if (pod.labels[key] !== limit.selector?.[key]) return false;
  return true;
}

/** Envoy's token bucket: full at first, `tokensPerFill` more every whole `fillIntervalMs`. */
export class TokenBucket {
  private tokens: number;
  private lastFill: number;

  constructor(
    private readonly maxTokens: number,
    private readonly tokensPerFill: number,
    private readonly fillIntervalMs: number,
    now: number,
  ) {
    this.tokens = maxTokens;
    this.lastFill = now;
  }

  /** Take a token at `now` (milliseconds); false when none is left. */
  take(now: number): boolean {
    const fills = Math.floor((now - this.lastFill) / this.fillIntervalMs);
    if (fills > 0) {
      this.tokens = Math.min(this.maxTokens, this.tokens + fills * this.tokensPerFill);
      this.lastFill += fills * this.fillIntervalMs;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

interface PodLimits {
  inbound: LocalRateLimit[];
  outbound: LocalRateLimit[];
}

const none: PodLimits = { inbound: [], outbound: [] };

/**
 * The local rate limits in force in the cluster, with each sidecar's buckets. Follows the store:
 * a changed EnvoyFilter is read again by the next request, and its buckets start afresh, as
 * Envoy's do when a listener is rebuilt.
 */
export class LocalRateLimiter {
  private limits: LocalRateLimit[] | undefined;
  private byPod = new WeakMap<MeshPod, PodLimits>();
  /** by `namespace/pod|limit key` */
  private buckets = new Map<string, TokenBucket>();
  /** requests rate limited (enforced or not), for tests and benchmarks */
  rateLimited = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly cluster: SimulatedCluster,
    private readonly random: SeededRandom,
  ) {
    this.unsubscribe = cluster.store.subscribe((change) => {
      if (change.resource !== envoyFilterResource) return;
      this.limits = undefined;
      this.byPod = new WeakMap();
      this.buckets = new Map();
    });
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** Whether the pod's sidecar answers an incoming request 429 at `now`. */
  limitsInbound(pod: MeshPod, now: number): boolean {
    return this.check(pod, this.limitsOf(pod).inbound, now);
  }

  /** Whether the pod's sidecar answers an outgoing request 429 at `now`, before any upstream. */
  limitsOutbound(pod: MeshPod, now: number): boolean {
    return this.check(pod, this.limitsOf(pod).outbound, now);
  }

  private limitsOf(pod: MeshPod): PodLimits {
    this.limits ??= localRateLimits(this.cluster.store.list(envoyFilterResource));
    if (this.limits.length === 0 || !pod.sidecar) return none;
    let found = this.byPod.get(pod);
    if (!found) {
      const applying = this.limits.filter((limit) => selects(limit, pod));
      found = {
        inbound: applying.filter((limit) => limit.inbound),
        outbound: applying.filter((limit) => limit.outbound),
      };
      this.byPod.set(pod, applying.length > 0 ? found : none);
    }
    return found;
  }

  /** The filters in chain order: the first that limits and enforces answers. */
  private check(pod: MeshPod, limits: LocalRateLimit[], now: number): boolean {
    for (const limit of limits) {
      if (limit.enabled < 1 && this.random.next() >= limit.enabled) continue;
      const key = `${pod.namespace}/${pod.name}|${limit.key}`;
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = new TokenBucket(limit.maxTokens, limit.tokensPerFill, limit.fillIntervalMs, now);
        this.buckets.set(key, bucket);
      }
      if (bucket.take(now)) continue;
      this.rateLimited += 1;
      if (limit.enforced >= 1 || this.random.next() < limit.enforced) return true;
    }
    return false;
  }
}
