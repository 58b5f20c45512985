/**
 * What `GET /api/status` answers: the "connected to" indicator's data — the cluster (never a
 * credential), the health of the dashboard's caches, and the telemetry source.
 */
import type { ApiWarning } from './api';
import type { TelemetrySourceName } from './telemetry';

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

/** What a telemetry source says about itself, for the health page and logs. */
export interface TelemetrySourceDescription {
  name: TelemetrySourceName;
  /** Prometheus' URL, or "sidecars via the Kubernetes API" */
  target: string;
  /** whether the last snapshot (or scrape round) succeeded; true before the first */
  healthy: boolean;
  /** what went wrong last, while unhealthy */
  lastError?: string;
  /** ISO time of the last success */
  lastSuccess?: string;
}

/** What a telemetry source says about itself (`getTelemetrySource()` in server/telemetry/). */
export type TelemetryDescription = TelemetrySourceDescription;

/**
 * - `connected`: every cache synced (kinds the cluster does not serve aside)
 * - `connecting`: some caches are still loading, none failed
 * - `degraded`: some caches are stale, forbidden or failing, others fine
 * - `disconnected`: every cache is failing or stale (the API server is unreachable)
 * - `unconfigured`: no usable kubeconfig
 */
export type KubeConnectionState = 'connected' | 'connecting' | 'degraded' | 'disconnected' | 'unconfigured';

export interface KubeConnection {
  state: KubeConnectionState;
  /** the API server's URL without user info, query or fragment; null when unconfigured */
  server: string | null;
  context: string | null;
  /** the kubeconfig user entry's name; never its token or certificate */
  user: string | null;
  /** why the state is not `connected`, safe to show */
  message?: string;
  /** ISO time the data is current as of: now, or when the oldest stale cache lost its watch */
  dataAsOf?: string;
  caches: CacheStatus[];
}

export interface ConnectionStatus {
  /** ISO time of this answer */
  checkedAt: string;
  kube: KubeConnection;
  /** null until a telemetry source is wired in */
  telemetry: TelemetryDescription | null;
  warnings: ApiWarning[];
}

/** `GET /api/status` */
export type StatusResponse = ConnectionStatus;
