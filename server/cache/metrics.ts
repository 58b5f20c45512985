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

function eachStatus(visit: (context: string, status: CacheStatus) => void): void {
  for (const source of liveSources()) for (const status of source.statuses()) visit(source.context, status);
}

/** Seconds from an ISO time to now; undefined when the time is unset (nothing happened yet). */
function secondsSince(iso: string | undefined, now: number): number | undefined {
  if (iso === undefined) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : Math.max(0, (now - time) / 1000);
}

export const cacheMetrics = {
  objects: gauge({
    name: 'meshscope_kube_cache_objects',
    help: 'Objects held by the Kubernetes cache of a kind',
    labelNames: ['context', 'resource'] as const,
    collect() {
      this.reset();
      eachStatus((context, status) => this.set({ context, resource: status.resource }, status.objects));
    },
  }),
  stale: gauge({
    name: 'meshscope_kube_cache_stale',
    help: '1 while a cache holds data it is not keeping current (its watch is down), else 0',
    labelNames: ['context', 'resource'] as const,
    collect() {
      this.reset();
      eachStatus((context, status) => this.set({ context, resource: status.resource }, status.stale ? 1 : 0));
    },
  }),
  state: gauge({
    name: 'meshscope_kube_cache_state',
    help: "1 for the cache's current state (starting, synced, stale, unavailable, forbidden, not-installed, stopped)",
    labelNames: ['context', 'resource', 'state'] as const,
    collect() {
      this.reset();
      eachStatus((context, status) => {
        for (const state of STATES) {
          this.set({ context, resource: status.resource, state }, status.state === state ? 1 : 0);
        }
      });
    },
  }),
  syncAge: gauge({
    name: 'meshscope_kube_cache_sync_age_seconds',
    help: "Seconds since the cache's last complete list of a kind (absent before the first)",
    labelNames: ['context', 'resource'] as const,
    collect() {
      this.reset();
      const now = Date.now();
      eachStatus((context, status) => {
        const age = secondsSince(status.syncedAt, now);
        if (age !== undefined) this.set({ context, resource: status.resource }, age);
      });
    },
  }),
  lastEventAge: gauge({
    name: 'meshscope_kube_cache_last_event_age_seconds',
    help: 'Seconds since the cache last saw an add, update or delete of a kind (absent before the first)',
    labelNames: ['context', 'resource'] as const,
    collect() {
      this.reset();
      const now = Date.now();
      eachStatus((context, status) => {
        const age = secondsSince(status.lastEventAt, now);
        if (age !== undefined) this.set({ context, resource: status.resource }, age);
      });
    },
  }),
  staleSeconds: gauge({
    name: 'meshscope_kube_cache_stale_seconds',
    help: 'Seconds a cache has held data it is not keeping current (its watch is down), 0 while current',
    labelNames: ['context', 'resource'] as const,
    collect() {
      this.reset();
      const now = Date.now();
      eachStatus((context, status) =>
        this.set({ context, resource: status.resource }, secondsSince(status.staleSince, now) ?? 0),
      );
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
