/**
 * The resilience pages' URL state (bookmarkable): namespaces of the list, history window and
 * refresh interval of both. Parsed once with a schema; anything unreadable falls back to defaults.
 */
import { z } from 'zod';
import { REFRESH_OPTIONS, type RefreshSetting } from '../graph-params';
import { DEFAULT_RESILIENCE_WINDOW_SECONDS } from './params';

export const RESILIENCE_WINDOWS = [
  { value: '5m', seconds: 300 },
  { value: '10m', seconds: 600 },
  { value: '30m', seconds: 1800 },
  { value: '1h', seconds: 3600 },
] as const;
export type ResilienceWindow = (typeof RESILIENCE_WINDOWS)[number]['value'];

export const DEFAULT_RESILIENCE_REFRESH: RefreshSetting = '10s';

const namespaceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const schema = z.object({
  namespaces: z
    .string()
    .transform((text) =>
      [...new Set(text.split(',').map((part) => part.trim()))].filter((part) => namespaceName.test(part)),
    )
    .catch(['default'])
    .default(['default']),
  duration: z
    .enum(RESILIENCE_WINDOWS.map((option) => option.value) as [ResilienceWindow, ...ResilienceWindow[]])
    .catch('10m')
    .default('10m'),
  refresh: z
    .enum(REFRESH_OPTIONS.map((option) => option.value) as [RefreshSetting, ...RefreshSetting[]])
    .catch(DEFAULT_RESILIENCE_REFRESH)
    .default(DEFAULT_RESILIENCE_REFRESH),
});

export interface ResiliencePageState {
  namespaces: string[];
  duration: ResilienceWindow;
  refresh: RefreshSetting;
}

export interface SearchLike {
  get(key: string): string | null;
}

export function parseResiliencePageState(params: SearchLike): ResiliencePageState {
  const read = (key: string) => params.get(key) ?? undefined;
  const parsed = schema.parse({
    namespaces: read('namespaces'),
    duration: read('duration'),
    refresh: read('refresh'),
  });
  return { ...parsed, namespaces: parsed.namespaces.length > 0 ? parsed.namespaces : ['default'] };
}

export function resiliencePageSearch(state: ResiliencePageState): string {
  return new URLSearchParams({
    namespaces: state.namespaces.join(','),
    duration: state.duration,
    refresh: state.refresh,
  }).toString();
}

export function windowSeconds(duration: ResilienceWindow): number {
  return (
    RESILIENCE_WINDOWS.find((option) => option.value === duration)?.seconds ??
    DEFAULT_RESILIENCE_WINDOW_SECONDS
  );
}

/** `/resilience/NAMESPACE/SERVICE?duration=&refresh=` */
export function resilienceHref(
  namespace: string,
  service: string,
  state?: Partial<ResiliencePageState>,
): string {
  const params = new URLSearchParams();
  if (state?.duration) params.set('duration', state.duration);
  if (state?.refresh) params.set('refresh', state.refresh);
  const query = params.toString();
  return `/resilience/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}${query ? `?${query}` : ''}`;
}
