import 'server-only';
import type { ApiWarning } from '@/lib/types/api';
import type {
  CacheStatus,
  ConnectionStatus,
  KubeConnection,
  KubeConnectionState,
  TelemetryDescription,
} from '@/lib/types/status';
import { getResourceCaches, type ResourceCaches } from './cache/resource-caches';
import { dataAsOf } from './config-snapshot';
import { toAppError } from './errors';

/**
 * What the "connected to" indicator shows: which cluster (server URL, context, user name; never a
 * credential), how its caches are doing, and the telemetry source. Never throws: a cluster that
 * is down or a kubeconfig that does not load is a state to show, not an error.
 */

export type {
  ConnectionStatus,
  KubeConnection,
  KubeConnectionState,
  TelemetryDescription,
} from '@/lib/types/status';

export type DescribeTelemetry = () => TelemetryDescription | Promise<TelemetryDescription>;

export interface ConnectionStatusOptions {
  /** the caches to report; default the process's (started on first use) */
  caches?: ResourceCaches;
  describeTelemetry?: DescribeTelemetry;
  /** on the first call, wait this long for caches still loading, in milliseconds */
  waitMs?: number;
}

/** `https://user:pass@host:6443/prefix?x#y` -> `https://host:6443/prefix` */
export function redactServerUrl(server: string): string {
  try {
    const url = new URL(server);
    const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
    return `${url.protocol}//${url.host}${path}`;
  } catch {
    return '(unparsable server URL)';
  }
}

export function connectionState(statuses: readonly CacheStatus[]): KubeConnectionState {
  const relevant = statuses.filter((status) => status.state !== 'not-installed');
  if (relevant.every((status) => status.state === 'synced')) return 'connected';
  const failing = (status: CacheStatus) => status.state === 'stale' || status.state === 'unavailable';
  if (relevant.every(failing)) return 'disconnected';
  if (relevant.every((status) => status.state === 'synced' || status.state === 'starting'))
    return 'connecting';
  return 'degraded';
}

async function describeTelemetrySource(describeTelemetry: DescribeTelemetry | undefined): Promise<{
  telemetry: TelemetryDescription | null;
  warnings: ApiWarning[];
}> {
  if (!describeTelemetry) return { telemetry: null, warnings: [] };
  try {
    const telemetry = await describeTelemetry();
    const warnings = telemetry.healthy
      ? []
      : [
          {
            source: telemetry.name,
            message: `${telemetry.name} at ${telemetry.target} is not answering${telemetry.lastError ? `: ${telemetry.lastError}` : ''}`,
          },
        ];
    return { telemetry, warnings };
  } catch (error) {
    return {
      telemetry: null,
      warnings: [{ source: 'telemetry', message: `No telemetry source: ${toAppError(error).message}` }],
    };
  }
}

export async function getConnectionStatus(options: ConnectionStatusOptions = {}): Promise<ConnectionStatus> {
  const checkedAt = new Date().toISOString();
  // Asked at the same time as the caches: a first call may wait for both to start.
  const described = describeTelemetrySource(options.describeTelemetry);
  let caches: ResourceCaches;
  try {
    caches = options.caches ?? getResourceCaches();
  } catch (error) {
    const message = toAppError(error).message;
    const telemetry = await described;
    return {
      checkedAt,
      kube: { state: 'unconfigured', server: null, context: null, user: null, message, caches: [] },
      telemetry: telemetry.telemetry,
      warnings: [{ source: 'kube', message }, ...telemetry.warnings],
    };
  }
  const [{ warnings }, telemetry] = await Promise.all([caches.ready(options.waitMs ?? 2_000), described]);
  const statuses = caches.statuses();
  const state = connectionState(statuses);
  const kube: KubeConnection = {
    state,
    server: redactServerUrl(caches.cluster.server),
    context: caches.cluster.context,
    user: caches.cluster.user,
    dataAsOf: dataAsOf(statuses),
    caches: statuses,
  };
  if (state !== 'connected' && warnings[0]) kube.message = warnings[0].message;
  return { checkedAt, kube, telemetry: telemetry.telemetry, warnings: [...warnings, ...telemetry.warnings] };
}
