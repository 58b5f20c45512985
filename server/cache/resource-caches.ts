import 'server-only';
import type { ApiWarning } from '@/lib/types/api';
import { currentCaller, KUBECONFIG_IDENTITY } from '../auth/caller';
import { IdentityPool } from '../auth/identity-pool';
import { type Cluster, getCluster } from '../kube/cluster';
import { type BackoffOptions, sleep, TokenBucket } from './backoff';
import {
  ALL_CACHE_KINDS,
  CACHE_KINDS,
  type CachedTypes,
  type CacheKind,
  KIND_SPECS,
  type KindSpec,
} from './kinds';
import { trackStatusSource } from './metrics';
import { ResourceCache } from './resource-cache';
import type { CacheStatus } from './types';
import { cacheWarnings } from './warnings';

/**
 * Every cache of one cluster, sharing a list rate limit and one discovery of the served API
 * versions. The process keeps one set for the configured cluster (`getResourceCaches()`),
 * started on first use.
 */

export interface ResourceCachesOptions {
  backoff?: Partial<BackoffOptions>;
  /** wait before asking again about a forbidden or not-served kind, in milliseconds (default 5 min) */
  recheckMs?: number;
  /** objects per list page (default 500) */
  pageSize?: number;
  /** lists per second on average, across the set's caches (default 5) */
  listsPerSecond?: number;
  /** lists allowed at once before pacing starts (default 30: every kind once, with room for relists) */
  listBurst?: number;
  /** a watch open this long counts as recovered for the backoff, in milliseconds (default 10 s) */
  stableAfterMs?: number;
  /** how long a discovery of served API versions is reused, in milliseconds (default 2 s: caches starting together share one) */
  discoveryTtlMs?: number;
}

export interface ReadyResult {
  /** every cache has concluded its first attempt (synced, or failed in a way its state shows) */
  settled: boolean;
  warnings: ApiWarning[];
}

/** Default wait of `ready()`: long enough for a healthy cluster, short enough for a page load. */
export const DEFAULT_READY_TIMEOUT_MS = 5_000;

type Caches = { [K in CacheKind]: ResourceCache<CachedTypes[K]> };

export class ResourceCaches {
  private readonly caches: Caches;
  private started = false;
  private readonly onDemandStarted = new Set<CacheKind>();
  private untrack: (() => void) | undefined;
  private discovery: { at: number; versions: Promise<Map<string, Set<string>>> } | undefined;
  private readonly discoveryTtlMs: number;

  constructor(
    readonly cluster: Cluster,
    options: ResourceCachesOptions = {},
  ) {
    this.discoveryTtlMs = options.discoveryTtlMs ?? 2_000;
    const shared = {
      backoff: { baseMs: 1_000, capMs: 30_000, ...options.backoff },
      recheckMs: options.recheckMs ?? 300_000,
      pageSize: options.pageSize ?? 500,
      listLimiter: new TokenBucket(options.listBurst ?? 30, options.listsPerSecond ?? 5),
      stableAfterMs: options.stableAfterMs ?? 10_000,
      resolveVersion: (spec: KindSpec) => this.resolveVersion(spec),
    };
    const entries = ALL_CACHE_KINDS.map((kind) => [
      kind,
      new ResourceCache(KIND_SPECS[kind], cluster, shared),
    ]);
    this.caches = Object.fromEntries(entries) as Caches;
  }

  get context(): string {
    return this.cluster.context;
  }

  /** The cache of a kind; an on-demand kind's cache starts here, once the set has started. */
  cache<K extends CacheKind>(kind: K): ResourceCache<CachedTypes[K]> {
    const cache = this.caches[kind];
    if (this.started && KIND_SPECS[kind].onDemand && !this.onDemandStarted.has(kind)) {
      this.onDemandStarted.add(kind);
      cache.start();
    }
    return cache;
  }

  /** The caches that run: every kind the set starts with, and the on-demand ones asked for so far. */
  all(): ResourceCache<unknown>[] {
    return ALL_CACHE_KINDS.filter((kind) => !KIND_SPECS[kind].onDemand || this.onDemandStarted.has(kind)).map(
      (kind) => this.caches[kind] as ResourceCache<unknown>,
    );
  }

  /** Starts every cache, once. */
  start(): this {
    if (this.started) return this;
    this.started = true;
    this.untrack = trackStatusSource(this);
    for (const kind of CACHE_KINDS) this.caches[kind].start();
    return this;
  }

  async stop(): Promise<void> {
    this.untrack?.();
    await Promise.all(this.all().map((cache) => cache.stop()));
  }

  /**
   * Waits until every cache has synced or failed once, at most `timeoutMs`, and returns the
   * warnings for what is not there; never throws, so callers serve what there is.
   */
  async ready(timeoutMs = DEFAULT_READY_TIMEOUT_MS): Promise<ReadyResult> {
    this.start();
    const all = Promise.all(this.all().map((cache) => cache.settled)).then(() => true);
    const settled = await Promise.race([all, sleep(timeoutMs).then(() => false)]);
    return { settled, warnings: this.warnings() };
  }

  statuses(): CacheStatus[] {
    return this.all().map((cache) => cache.status());
  }

  /** Warnings for the kinds every view reads; on-demand kinds are reported by the feature that reads them. */
  warnings(now = Date.now()): ApiWarning[] {
    return cacheWarnings(
      this.statuses().filter((status) => !KIND_SPECS[status.resource as CacheKind]?.onDemand),
      now,
    );
  }

  /** Grows whenever any cache changes. */
  changeCount(): number {
    return this.all().reduce((sum, cache) => sum + cache.changeCount, 0);
  }

  private async resolveVersion(spec: KindSpec): Promise<string | undefined> {
    if (!spec.istio) return spec.versions[0];
    const served = (await this.servedVersions()).get(spec.group);
    return spec.versions.find((version) => served?.has(version));
  }

  /** Group -> served versions, from `/apis`; one request shared by the caches starting together. */
  private servedVersions(): Promise<Map<string, Set<string>>> {
    const now = Date.now();
    if (this.discovery && now - this.discovery.at < this.discoveryTtlMs) return this.discovery.versions;
    const versions = this.cluster.apis
      .getAPIVersions()
      .then(
        (list) =>
          new Map(
            list.groups.map((group) => [group.name, new Set(group.versions.map((entry) => entry.version))]),
          ),
      );
    this.discovery = { at: now, versions };
    // A failed discovery is not reused.
    versions.catch(() => {
      if (this.discovery?.versions === versions) this.discovery = undefined;
    });
    return versions;
  }
}

const SINGLETON_KEY = Symbol.for('meshscope.resourceCaches');
type WithCaches = typeof globalThis & { [SINGLETON_KEY]?: ResourceCaches };

/** Per-caller cache sets in token and header modes (each with its own watches), stopped when idle. */
const CALLER_CACHES_KEY = Symbol.for('meshscope.callerResourceCaches');
type WithCallerCaches = typeof globalThis & { [CALLER_CACHES_KEY]?: IdentityPool<ResourceCaches> };

function callerCaches(): IdentityPool<ResourceCaches> {
  const holder = globalThis as WithCallerCaches;
  holder[CALLER_CACHES_KEY] ??= new IdentityPool<ResourceCaches>({
    dispose: (caches) => caches.stop(),
    idleMs: 10 * 60_000,
    max: 16,
  });
  return holder[CALLER_CACHES_KEY];
}

/**
 * The caches of the request's identity, started on first use: the kubeconfig's set (one per
 * process, kept on `globalThis` so Next's dev reloads do not start a second set of watches), or in
 * token and header modes the caller's own set, watched with the caller's credentials
 * (server/auth/caller.ts). Throws an AppError (`unavailable:kube`) when the kubeconfig cannot be
 * loaded, `unauthorized` when token or header mode has no caller.
 */
export function getResourceCaches(): ResourceCaches {
  const caller = currentCaller();
  if (caller !== undefined && caller !== 'dashboard' && caller.identityKey !== KUBECONFIG_IDENTITY) {
    return callerCaches()
      .get(caller.identityKey, () => new ResourceCaches(getCluster()))
      .start();
  }
  const holder = globalThis as WithCaches;
  holder[SINGLETON_KEY] ??= new ResourceCaches(getCluster());
  return holder[SINGLETON_KEY].start();
}

/** Stops the process's caches (shutdown, tests); the next `getResourceCaches()` starts fresh. */
export async function stopResourceCaches(): Promise<void> {
  const holder = globalThis as WithCaches;
  const caches = holder[SINGLETON_KEY];
  holder[SINGLETON_KEY] = undefined;
  await Promise.all([caches?.stop(), (globalThis as WithCallerCaches)[CALLER_CACHES_KEY]?.clear()]);
}
