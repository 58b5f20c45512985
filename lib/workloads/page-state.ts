/**
 * The workload pages' state as the URL carries it, so every view can be bookmarked: the list's
 * namespaces, window, refresh and filters; a workload page's window, refresh, chosen pod, proxy
 * config tab and search, and access-log filters.
 */
import { z } from 'zod';
import { REFRESH_OPTIONS, type RefreshSetting } from '../graph-params';
import { DEFAULT_SERIES_DURATION, SERIES_DURATIONS } from './params';

export interface SearchParamsLike {
  get(name: string): string | null;
}

const refreshValues = REFRESH_OPTIONS.map((option) => option.value) as [RefreshSetting, ...RefreshSetting[]];

const list = z.string().transform((text) => [
  ...new Set(
    text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  ),
]);

function pick<T>(schema: z.ZodType<T>, value: string | null, fallback: T): T {
  if (value === null) return fallback;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}

export const LIST_DURATIONS = [
  { value: 60, label: 'Last minute' },
  { value: 300, label: 'Last 5 minutes' },
  { value: 600, label: 'Last 10 minutes' },
] as const;

export const SIDECAR_FILTERS = ['', 'present', 'missing'] as const;
export const HEALTH_FILTERS = ['', 'healthy', 'degraded', 'failure', 'idle'] as const;

export interface WorkloadListState {
  namespaces: string[];
  /** rate window, seconds */
  duration: number;
  refresh: RefreshSetting;
  /** words matched against name, app, version and labels */
  search: string;
  sidecar: (typeof SIDECAR_FILTERS)[number];
  health: (typeof HEALTH_FILTERS)[number];
}

export function parseWorkloadListState(params: SearchParamsLike): WorkloadListState {
  return {
    namespaces: pick(list, params.get('namespaces'), []),
    duration: pick(
      z.coerce.number().int().min(10).max(86_400),
      params.get('duration')?.replace(/s$/, '') ?? null,
      60,
    ),
    refresh: pick(z.enum(refreshValues), params.get('refresh'), '15s' as RefreshSetting),
    search: params.get('q') ?? '',
    sidecar: pick(z.enum(SIDECAR_FILTERS), params.get('sidecar'), ''),
    health: pick(z.enum(HEALTH_FILTERS), params.get('health'), ''),
  };
}

export function workloadListSearch(state: WorkloadListState): string {
  const params = new URLSearchParams();
  if (state.namespaces.length > 0) params.set('namespaces', state.namespaces.join(','));
  if (state.duration !== 60) params.set('duration', `${state.duration}s`);
  if (state.refresh !== '15s') params.set('refresh', state.refresh);
  if (state.search) params.set('q', state.search);
  if (state.sidecar) params.set('sidecar', state.sidecar);
  if (state.health) params.set('health', state.health);
  return params.toString();
}

export const PROXY_TABS = ['routes', 'clusters', 'listeners', 'raw'] as const;
export type ProxyTab = (typeof PROXY_TABS)[number];
export const LOG_CODES = ['', '2xx', '4xx', '5xx'] as const;
/** Access-log lines read per refresh, as offered. */
export const LOG_TAILS = [100, 300, 1000, 5000] as const;
export const DEFAULT_LOG_TAIL = 300;

export interface WorkloadPageState {
  /** chart window, seconds */
  duration: number;
  refresh: RefreshSetting;
  /** the pod whose proxy config and log are shown; the first pod when empty */
  pod: string;
  tab: ProxyTab;
  /** search of the proxy config tables */
  search: string;
  logCode: (typeof LOG_CODES)[number];
  /** an Envoy response flag (`UO`), `any`, or empty */
  logFlag: string;
  /** poll the access log */
  follow: boolean;
  /** access-log lines read per refresh */
  tail: number;
}

const durations = SERIES_DURATIONS.map((option) => option.value) as number[];

export function parseWorkloadPageState(params: SearchParamsLike): WorkloadPageState {
  const duration = Number(params.get('duration')?.replace(/s$/, ''));
  return {
    duration: durations.includes(duration) ? duration : DEFAULT_SERIES_DURATION,
    refresh: pick(z.enum(refreshValues), params.get('refresh'), '15s' as RefreshSetting),
    pod: pick(z.string().regex(/^[a-z0-9][-a-z0-9.]*$/), params.get('pod'), ''),
    tab: pick(z.enum(PROXY_TABS), params.get('tab'), 'routes'),
    search: params.get('q') ?? '',
    logCode: pick(z.enum(LOG_CODES), params.get('code'), ''),
    logFlag: pick(z.string().regex(/^([A-Z]{1,8}|any)$/), params.get('flag'), ''),
    follow: params.get('follow') === 'true',
    tail: (LOG_TAILS as readonly number[]).includes(Number(params.get('tail')))
      ? Number(params.get('tail'))
      : DEFAULT_LOG_TAIL,
  };
}

export function workloadPageSearch(state: WorkloadPageState): string {
  const params = new URLSearchParams();
  if (state.duration !== DEFAULT_SERIES_DURATION) params.set('duration', `${state.duration}s`);
  if (state.refresh !== '15s') params.set('refresh', state.refresh);
  if (state.pod) params.set('pod', state.pod);
  if (state.tab !== 'routes') params.set('tab', state.tab);
  if (state.search) params.set('q', state.search);
  if (state.logCode) params.set('code', state.logCode);
  if (state.logFlag) params.set('flag', state.logFlag);
  if (state.follow) params.set('follow', 'true');
  if (state.tail !== DEFAULT_LOG_TAIL) params.set('tail', String(state.tail));
  return params.toString();
}

/**
 * Links out with the page's window: Istio's Grafana workload dashboard and the tracing UI's
 * search (Jaeger's `/search`; Istio names a workload's traces `APP.NAMESPACE`).
 */
export function externalLinks(
  bases: { grafana?: string; tracing?: string },
  workload: { namespace: string; name: string; app: string },
  durationSeconds: number,
  nowMs: number,
): { grafana?: string; tracing?: string } {
  const links: { grafana?: string; tracing?: string } = {};
  if (bases.grafana) {
    const params = new URLSearchParams({
      'var-namespace': workload.namespace,
      'var-workload': workload.name,
      from: String(nowMs - durationSeconds * 1000),
      to: String(nowMs),
    });
    links.grafana = `${bases.grafana}/d/UbsSZTDik/istio-workload-dashboard?${params}`;
  }
  if (bases.tracing) {
    const params = new URLSearchParams({
      service: `${workload.app}.${workload.namespace}`,
      start: String((nowMs - durationSeconds * 1000) * 1000),
      end: String(nowMs * 1000),
      limit: '20',
    });
    links.tracing = `${bases.tracing}/search?${params}`;
  }
  return links;
}

/** Whether a workload row matches every word of the search (name, app, version, labels). */
export function matchesSearch(
  row: { name: string; namespace: string; app: string; version: string; labels: Record<string, string> },
  search: string,
): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [
    row.name,
    row.namespace,
    row.app,
    row.version,
    ...Object.entries(row.labels).map(([key, value]) => `${key}=${value}`),
  ]
    .join(' ')
    .toLowerCase();
  return words.every((word) => text.includes(word));
}
