import 'server-only';
import {
  ApiException,
  type KubeConfig,
  type KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';
import { fromKubeError } from '../errors';
import type { Cluster } from '../kube/cluster';
import { logger } from '../logger';
import { type BackoffOptions, backoffDelay, type TokenBucket } from './backoff';
import {
  apiVersionOf,
  type CachedTypes,
  type CacheKind,
  collectionPath,
  type KindSpec,
  type RawList,
} from './kinds';
import { cacheMetrics } from './metrics';
import type { CacheState, CacheStatus } from './types';

/**
 * One informer-style cache per kind, on client-node's ListWatch: list, then watch from the list's
 * resourceVersion. client-node relists by itself on 410 Gone and re-watches when a stream ends
 * cleanly or goes idle for 30 s; but on any other failure (socket reset, server down, 403, 429) it
 * fires `error` and stops for good. This class restarts it with capped, jittered backoff, paces
 * its lists through a shared token bucket, projects objects to what the dashboard reads, and
 * keeps the state the pages show ("stale since ...", "forbidden", "not installed").
 */

export interface ResourceCacheOptions {
  /** restart pacing after an error */
  backoff: BackoffOptions;
  /** wait before asking again about a kind that was forbidden or not served, in milliseconds */
  recheckMs: number;
  /** objects per list page */
  pageSize: number;
  /** shared by every cache of a cluster: bounds the rate of lists */
  listLimiter: TokenBucket;
  /** a watch open this long counts as recovered: the next failure starts backoff from the base, in ms */
  stableAfterMs: number;
  /** the served version to use for this kind; undefined when the cluster does not serve it */
  resolveVersion(spec: KindSpec): Promise<string | undefined>;
}

/** A failure, as the cache's state machine needs it. */
interface Problem {
  type: 'forbidden' | 'not-served' | 'failure';
  message: string;
  /** the server's `Retry-After`, in milliseconds */
  retryAfterMs?: number;
}

function statusCodeOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  if (typeof error !== 'object' || error === null) return undefined;
  // client-node's Watch throws `Error` with `statusCode` for a non-200 answer to the watch request.
  const { statusCode } = error as { statusCode?: unknown };
  return typeof statusCode === 'number' ? statusCode : undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const headers = (error.headers ?? {}) as Record<string, string | undefined>;
  const key = Object.keys(headers).find((name) => name.toLowerCase() === 'retry-after');
  const seconds = key === undefined ? Number.NaN : Number(headers[key]);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 300) * 1000 : undefined;
}

function classify(error: unknown, spec: KindSpec, server: string): Problem {
  const status = statusCodeOf(error);
  const wrapped = error instanceof ApiException || status === undefined;
  const message = wrapped
    ? fromKubeError(error, server).message
    : `The Kubernetes API at ${server} answered ${status} to the watch of ${spec.plural}`;
  const retry = retryAfterMs(error);
  if (status === 403) {
    return {
      type: 'forbidden',
      message: wrapped ? message : `Forbidden by the Kubernetes API: cannot watch ${spec.plural}`,
    };
  }
  if (status === 404) return { type: 'not-served', message };
  return { type: 'failure', message, ...(retry === undefined ? {} : { retryAfterMs: retry }) };
}

interface WatchHooks {
  project(object: unknown): unknown;
  /** the watch answered 200 and streams */
  onOpen(): void;
  stopped(): boolean;
}

/**
 * client-node's Watch, observed: objects are projected before the ListWatch stores them, and we
 * learn when a watch request really opened (ListWatch has no callback for that).
 */
class ObservedWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly hooks: WatchHooks,
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    // ListWatch.stop() does not stop a reconnect already past its own check; do not open one.
    if (this.hooks.stopped()) return new AbortController();
    let ended = false;
    const controller = await super.watch(
      path,
      queryParams,
      (phase, object, raw) => {
        const changed = phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED';
        callback(phase, changed ? this.hooks.project(object) : object, raw);
      },
      (error) => {
        ended = true;
        done(error);
      },
    );
    if (!ended) this.hooks.onOpen();
    return controller;
  }
}

export class ResourceCache<T> {
  private informer: ListWatch<KubernetesObject> | undefined;
  private version: string | undefined;
  private state: CacheState = 'starting';
  private running = false;
  private stopped = false;
  private listsDone = 0;
  private relists = 0;
  private restarts = 0;
  /** watch requests that answered 200, for the reconnect counter */
  private watchesOpened = 0;
  private size = 0;
  private changes = 0;
  private attempts = 0;
  private connectedAt: number | undefined;
  private eventsSinceConnect = 0;
  private syncedAt: number | undefined;
  private staleSince: number | undefined;
  private lastEventAt: number | undefined;
  private lastError: string | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly log;
  private settle: () => void = () => undefined;
  /** resolves once the first attempt concluded: synced, or failed in a way the state shows */
  readonly settled: Promise<void>;

  constructor(
    readonly spec: KindSpec,
    private readonly cluster: Cluster,
    private readonly options: ResourceCacheOptions,
  ) {
    this.settled = new Promise((resolve) => {
      this.settle = resolve;
    });
    this.log = logger.child({ component: 'resource-cache', context: cluster.context, resource: spec.plural });
  }

  get resource(): CacheKind {
    return this.spec.plural;
  }

  /** Starts listing and watching, once; later calls do nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    void this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.running = false;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.state = 'stopped';
    this.settle();
    await this.informer?.stop();
  }

  /** Every cached object, or those of one namespace; nothing for a kind the cluster does not serve. */
  list(namespace?: string): readonly T[] {
    if (!this.informer || this.state === 'not-installed') return [];
    return this.informer.list(namespace) as unknown as readonly T[];
  }

  get(name: string, namespace?: string): T | undefined {
    if (!this.informer || this.state === 'not-installed') return undefined;
    return this.informer.get(name, namespace) as unknown as T | undefined;
  }

  /** Grows on every add, update and delete: a cheap "did anything change" for memoised views. */
  get changeCount(): number {
    return this.changes;
  }

  /** Calls `listener` after each change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): CacheStatus {
    const iso = (time: number | undefined) => (time === undefined ? undefined : new Date(time).toISOString());
    const stale = this.listsDone > 0 && (this.state === 'stale' || this.state === 'forbidden');
    const status: CacheStatus = {
      resource: this.spec.plural,
      kind: this.spec.kind,
      apiVersion: this.version === undefined ? '' : apiVersionOf(this.spec, this.version),
      state: this.state,
      stale,
      objects: this.state === 'not-installed' ? 0 : this.size,
      relists: this.relists,
      restarts: this.restarts,
    };
    const staleSince = stale ? iso(this.staleSince) : undefined;
    if (staleSince) status.staleSince = staleSince;
    const syncedAt = iso(this.syncedAt);
    if (syncedAt) status.syncedAt = syncedAt;
    const lastEventAt = iso(this.lastEventAt);
    if (lastEventAt) status.lastEventAt = lastEventAt;
    if (this.lastError !== undefined) status.lastError = this.lastError;
    return status;
  }

  private async attempt(): Promise<void> {
    this.restartTimer = undefined;
    if (this.stopped) return;
    try {
      const version = await this.options.resolveVersion(this.spec);
      if (this.stopped) return;
      if (version === undefined) {
        this.notServed(`${this.spec.kind} (${this.spec.group}) is not served by the cluster`);
        return;
      }
      await this.informerFor(version).start();
    } catch (error) {
      this.handleError(error, this.informer);
    }
  }

  private informerFor(version: string): ListWatch<KubernetesObject> {
    if (this.informer && this.version === version) return this.informer;
    void this.informer?.stop();
    this.version = version;
    this.size = 0;
    const hooks: WatchHooks = {
      project: (object) => this.spec.project(object, version),
      onOpen: () => this.handleOpen(),
      stopped: () => this.stopped,
    };
    const informer = new ListWatch<KubernetesObject>(
      collectionPath(this.spec, version),
      new ObservedWatch(this.cluster.kubeConfig, hooks),
      () => this.listAll(version),
      false,
    );
    informer.on('add', () => this.handleChange(1));
    informer.on('update', () => this.handleChange(0));
    informer.on('delete', () => this.handleChange(-1));
    informer.on('error', (error: unknown) => this.handleError(error, informer));
    this.informer = informer;
    return informer;
  }

  /** One complete list, page by page, projected; paced by the shared limiter. */
  private async listAll(version: string): Promise<RawList> {
    await this.options.listLimiter.take();
    if (this.stopped) throw new Error('the cache was stopped');
    const items: KubernetesObject[] = [];
    let resourceVersion: string | undefined;
    let continueToken: string | undefined;
    do {
      let page: RawList;
      try {
        page = await this.spec.list(this.cluster, version, {
          limit: this.options.pageSize,
          ...(continueToken ? { _continue: continueToken } : {}),
        });
      } catch (error) {
        // The continue token expired (410) mid-list: list again in one piece.
        if (continueToken === undefined || statusCodeOf(error) !== 410) throw error;
        items.length = 0;
        resourceVersion = undefined;
        continueToken = undefined;
        page = await this.spec.list(this.cluster, version, {});
      }
      // Every page of a paginated list is served from one snapshot and carries its resourceVersion.
      resourceVersion ??= page.metadata?.resourceVersion;
      for (const item of page.items ?? []) items.push(this.spec.project(item, version) as KubernetesObject);
      continueToken = page.metadata?._continue || undefined;
    } while (continueToken !== undefined);
    if (this.stopped) throw new Error('the cache was stopped');
    if (this.listsDone > 0) {
      this.relists += 1;
      cacheMetrics.relists.inc({ context: this.cluster.context, resource: this.spec.plural });
    }
    this.listsDone += 1;
    this.syncedAt = Date.now();
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: resourceVersion ?? '' }, items };
  }

  private handleChange(delta: number): void {
    this.size = Math.max(0, this.size + delta);
    this.changes += 1;
    this.eventsSinceConnect += 1;
    this.lastEventAt = Date.now();
    for (const listener of this.listeners) listener();
  }

  private handleOpen(): void {
    if (this.stopped) return;
    if (this.watchesOpened > 0) {
      cacheMetrics.watchReconnects.inc({ context: this.cluster.context, resource: this.spec.plural });
    }
    this.watchesOpened += 1;
    this.connectedAt = Date.now();
    this.eventsSinceConnect = 0;
    if (this.state !== 'synced') {
      if (this.state !== 'starting') this.log.info({ previous: this.state }, 'watch restored');
      this.staleSince = undefined;
      this.state = 'synced';
    }
    this.settle();
  }

  private handleError(error: unknown, from: ListWatch<KubernetesObject> | undefined): void {
    // Stopping aborts the request, which client-node reports as an error too.
    if (this.stopped || from !== this.informer) return;
    const now = Date.now();
    const problem = classify(error, this.spec, this.cluster.server);
    const wasUp = this.connectedAt !== undefined;
    const recovered =
      this.connectedAt !== undefined &&
      (this.eventsSinceConnect > 0 || now - this.connectedAt >= this.options.stableAfterMs);
    if (recovered) this.attempts = 0;
    this.connectedAt = undefined;
    this.lastError = problem.message;
    if (this.listsDone > 0) this.staleSince ??= now;

    if (problem.type === 'not-served' && this.spec.istio) {
      this.notServed(problem.message);
      return;
    }
    let delay: number;
    if (problem.type === 'forbidden') {
      delay = backoffDelay(0, { baseMs: this.options.recheckMs, capMs: this.options.recheckMs });
      if (this.state !== 'forbidden') this.log.warn({ err: problem.message }, 'forbidden; retrying rarely');
      this.state = 'forbidden';
    } else {
      delay = Math.max(backoffDelay(this.attempts, this.options.backoff), problem.retryAfterMs ?? 0);
      this.attempts += 1;
      const next: CacheState = this.listsDone > 0 ? 'stale' : 'unavailable';
      if (this.state !== next || wasUp) {
        this.log.warn({ err: problem.message, retryInMs: delay }, `${next}: watch lost, restarting`);
      } else {
        this.log.debug({ err: problem.message, retryInMs: delay }, 'restart failed');
      }
      this.state = next;
    }
    this.settle();
    this.scheduleRestart(delay);
  }

  /** The cluster does not serve this kind (no Istio, or an older one): say so, ask again later. */
  private notServed(message: string): void {
    if (this.state !== 'not-installed') this.log.info(message);
    this.lastError = message;
    this.staleSince = undefined;
    this.state = 'not-installed';
    this.settle();
    this.scheduleRestart(backoffDelay(0, { baseMs: this.options.recheckMs, capMs: this.options.recheckMs }));
  }

  private scheduleRestart(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restarts += 1;
      cacheMetrics.restarts.inc({ context: this.cluster.context, resource: this.spec.plural });
      void this.attempt();
    }, delay);
    this.restartTimer.unref();
  }
}

export type CacheOf<K extends CacheKind> = ResourceCache<CachedTypes[K]>;
