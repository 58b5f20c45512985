import 'server-only';
import { counter, gauge } from '../metrics';
import type { CacheState, CacheStatus } from './types';

/**
 * The caches' own metrics. Gauges are read from the live caches when `/metrics` is scraped;
 * counters grow as relists and restarts happen.
 */

/** Something that reports cache statuses for one kubeconfig context (a cache set). */
export interface StatusSource {
  context: string;
  statuses(): CacheStatus[];
}

const LIVE_KEY = Symbol.for('meshscope.cache.liveSources');
type WithLive = typeof globalThis & { [LIVE_KEY]?: Set<StatusSource> };

/** On globalThis so gauges registered before a dev-server reload still see the current caches. */
function liveSources(): Set<StatusSource> {
  const holder = globalThis as WithLive;
  holder[LIVE_KEY] ??= new Set();
  return holder[LIVE_KEY];
}

export function trackStatusSource(source: StatusSource): () => void {
  liveSources().add(source);
  return () => liveSources().delete(source);
}

const STATES: CacheState[] = [
  'starting',
  'synced',
  'stale',
  'unavailable',
  'forbidden',
  'not-installed',
  'stopped',
];

/** Seconds from an ISO time to now; undefined when the time is unset (nothing happened yet). */
function secondsSince(iso: string | undefined, now: number): number | undefined {
  if (iso === undefined) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : Math.max(0, (now - time) / 1000);
}

type Labels = { context: string; resource: string };

/**
 * One value per context and kind. In token and header modes there is a cache set per signed-in
 * identity, all on the same context: `pick` says which value speaks for them (the largest object
 * count, the oldest sync, ...); one set gives its own value. Statuses without a value are skipped.
 */
function perKind(
  value: (status: CacheStatus, now: number) => number | undefined,
  pick: (a: number, b: number) => number,
): { labels: Labels; value: number }[] {
  const now = Date.now();
  const found = new Map<string, { labels: Labels; value: number }>();
  for (const source of liveSources()) {
    for (const status of source.statuses()) {
      const current = value(status, now);
      if (current === undefined) continue;
      const key = `${source.context}\u0000${status.resource}`;
      const seen = found.get(key);
      found.set(key, {
        labels: { context: source.context, resource: status.resource },
        value: seen ? pick(seen.value, current) : current,
      });
    }
  }
  return [...found.values()];
}

const AGGREGATION_NOTE = 'with one cache set per signed-in identity (token and header modes), the';

export const cacheMetrics = {
  sets: gauge({
    name: 'meshscope_kube_cache_sets',
    help: 'Cache sets running per context: 1 for the kubeconfig identity, one per recently active signed-in identity in token and header modes',
    labelNames: ['context'] as const,
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const source of liveSources()) counts.set(source.context, (counts.get(source.context) ?? 0) + 1);
      for (const [context, count] of counts) this.set({ context }, count);
    },
  }),
  objects: gauge({
    name: 'meshscope_kube_cache_objects',
    help: `Objects held by the Kubernetes cache of a kind (${AGGREGATION_NOTE} largest)`,
    labelNames: ['context', 'resource'] as const,
    collect() {
      this.reset();
      for (const { labels, value } of perKind((status) => status.objects, Math.max)) this.set(labels, value);
    },
  }),
  stale: gauge({
    name: 'meshscope_kube_cache_stale',
    help: `1 while a cache holds data it is not keeping current (its watch is down), else 0 (${AGGREGATION_NOTE} worst)`,
    labelNames: ['context', 'resource'] as const,
    collect() {
      this.reset();
      for (const { labels, value } of perKind((status) => (status.stale ? 1 : 0), Math.max)) {
        this.set(labels, value);
      }
    },
  }),
  state: gauge({
    name: 'meshscope_kube_cache_state',
    help: 'Caches of a kind in each state (starting, synced, stale, unavailable, forbidden, not-installed, stopped): 1 for the current state of a single cache set',
    labelNames: ['context', 'resource', 'state'] as const,
    collect() {
      this.reset();
      for (const state of STATES) {
        const count = (status: CacheStatus) => (status.state === state ? 1 : 0);
        for (const { labels, value } of perKind(count, (a, b) => a + b))
          this.set({ ...labels, state }, value);
      }
    },
  }),
  syncAge: gauge({
    name: 'meshscope_kube_cache_sync_age_seconds',
    help: `Seconds since the cache's last complete list of a kind, absent before the first (${AGGREGATION_NOTE} oldest)`,
    labelNames: ['context', 'resource'] as const,
    collect() {
      this.reset();
      for (const { labels, value } of perKind(
        (status, now) => secondsSince(status.syncedAt, now),
        Math.max,
      )) {
        this.set(labels, value);
      }
    },
  }),
  lastEventAge: gauge({
    name: 'meshscope_kube_cache_last_event_age_seconds',
    help: `Seconds since the cache last saw an add, update or delete of a kind, absent before the first (${AGGREGATION_NOTE} most recent)`,
    labelNames: ['context', 'resource'] as const,
    collect() {
      this.reset();
      const age = (status: CacheStatus, now: number) => secondsSince(status.lastEventAt, now);
      for (const { labels, value } of perKind(age, Math.min)) this.set(labels, value);
    },
  }),
  staleSeconds: gauge({
    name: 'meshscope_kube_cache_stale_seconds',
    help: `Seconds a cache has held data it is not keeping current (its watch is down), 0 while current (${AGGREGATION_NOTE} longest)`,
    labelNames: ['context', 'resource'] as const,
    collect() {
      this.reset();
      const stale = (status: CacheStatus, now: number) => secondsSince(status.staleSince, now) ?? 0;
      for (const { labels, value } of perKind(stale, Math.max)) this.set(labels, value);
    },
  }),
  watchReconnects: counter({
    name: 'meshscope_kube_cache_watch_reconnects_total',
    help: 'Watches opened again after the first, per kind: after a clean end (timeout), a 410 relist or an error',
    labelNames: ['context', 'resource'] as const,
  }),
  relists: counter({
    name: 'meshscope_kube_cache_relists_total',
    help: 'Complete lists after the first, per kind (410 Gone, or a restart that lost its place)',
    labelNames: ['context', 'resource'] as const,
  }),
  restarts: counter({
    name: 'meshscope_kube_cache_restarts_total',
    help: 'Restarts of a cache after its watch stopped on an error, per kind',
    labelNames: ['context', 'resource'] as const,
  }),
};
