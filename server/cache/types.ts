import 'server-only';

/**
 * - `starting`: first list not done yet
 * - `synced`: listed, and the watch is open
 * - `stale`: listed before, but the watch is down and restarting; the data is as of `staleSince`
 * - `unavailable`: never listed; failing and retrying (cluster unreachable, 401, 429 ...)
 * - `forbidden`: the API answered 403 for this kind; retried rarely
 * - `not-installed`: the cluster does not serve this kind (an Istio kind without Istio); re-checked rarely
 * - `stopped`: stopped on purpose
 */
export type CacheState =
  | 'starting'
  | 'synced'
  | 'stale'
  | 'unavailable'
  | 'forbidden'
  | 'not-installed'
  | 'stopped';

/** One cache's health, as the "connected to" indicator and the warnings show it. Plain data. */
export interface CacheStatus {
  /** plural, e.g. `pods`, `virtualservices` */
  resource: string;
  kind: string;
  /** the served version being watched, e.g. `networking.istio.io/v1`; empty until discovered */
  apiVersion: string;
  state: CacheState;
  /** the data in the cache is from a list and is not being kept current */
  stale: boolean;
  /** ISO time the watch was lost (set while stale) */
  staleSince?: string;
  /** ISO time of the last complete list */
  syncedAt?: string;
  /** ISO time of the last add, update or delete seen */
  lastEventAt?: string;
  /** what went wrong last, safe to show (no credentials) */
  lastError?: string;
  objects: number;
  /** lists after the first one (410 Gone, restarts that lost their place) */
  relists: number;
  /** restarts of the informer after it stopped on an error */
  restarts: number;
}
