import 'server-only';
import type { ApiWarning } from '@/lib/types/api';
import { KIND_SPECS } from './kinds';
import type { CacheStatus } from './types';

/**
 * The caches' health as response warnings (`source: 'kube'`): one per kind of trouble, naming the
 * kinds affected, so a cluster that is down gives one line rather than sixteen.
 */

/** "42 s", "3 min", "2 h 5 min" */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

function kindsOf(statuses: CacheStatus[]): string {
  return statuses.map((status) => status.kind).join(', ');
}

function causeOf(statuses: CacheStatus[]): string {
  const cause = statuses.find((status) => status.lastError)?.lastError;
  return cause ? ` (${cause})` : '';
}

function isIstio(status: CacheStatus): boolean {
  return KIND_SPECS[status.resource as keyof typeof KIND_SPECS]?.istio ?? false;
}

export function cacheWarnings(statuses: CacheStatus[], now = Date.now()): ApiWarning[] {
  const warnings: ApiWarning[] = [];
  const warn = (message: string) => warnings.push({ source: 'kube', message });
  const inState = (state: CacheStatus['state']) => statuses.filter((status) => status.state === state);

  const stale = statuses.filter((status) => status.stale && status.state === 'stale');
  if (stale.length > 0) {
    const since = Math.min(
      ...stale.map((status) => Date.parse(status.staleSince ?? new Date(now).toISOString())),
    );
    const age = `stale since ${new Date(since).toISOString()} (${formatAge(now - since)} ago)`;
    warn(
      stale.length === statuses.filter((status) => status.state !== 'not-installed').length
        ? `Lost the connection to the Kubernetes API: data is ${age}; reconnecting${causeOf(stale)}`
        : `Kubernetes data for ${kindsOf(stale)} is ${age}; reconnecting${causeOf(stale)}`,
    );
  }
  const unavailable = inState('unavailable');
  if (unavailable.length > 0) {
    warn(`Could not load ${kindsOf(unavailable)} from the Kubernetes API; retrying${causeOf(unavailable)}`);
  }
  const starting = inState('starting');
  if (starting.length > 0) {
    warn(`Still loading ${kindsOf(starting)} from the Kubernetes API; shown without them for now`);
  }
  const forbidden = inState('forbidden');
  if (forbidden.length > 0) {
    const held = forbidden.filter((status) => status.stale);
    const shown = held.length > 0 ? `; ${kindsOf(held)} shown as last read` : '; not shown';
    warn(`Not allowed to list and watch ${kindsOf(forbidden)}${shown}${causeOf(forbidden)}`);
  }
  const missing = inState('not-installed');
  if (missing.length > 0) {
    const istioKinds = statuses.filter(isIstio);
    warn(
      istioKinds.length > 0 && istioKinds.every((status) => status.state === 'not-installed')
        ? 'Istio is not installed: the cluster serves none of its APIs (networking.istio.io, security.istio.io, telemetry.istio.io), so there is no Istio configuration to show'
        : `Not served by the cluster, so not shown: ${kindsOf(missing)}`,
    );
  }
  return warnings;
}
