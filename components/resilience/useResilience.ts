'use client';

import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { refreshIntervalMs } from '@/lib/graph-params';
import { queryKeys } from '@/lib/query-keys';
import type { ResiliencePolicyResponse } from '@/lib/resilience/edit-types';
import type { ResilienceListResponse } from '@/lib/resilience/list-types';
import type { ResiliencePageState } from '@/lib/resilience/page-params';
import type { ResilienceResponse } from '@/lib/types/resilience';

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'internal', error instanceof Error ? error.message : String(error));
}

export function servicePath(namespace: string, service: string): string {
  return `/api/resilience/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}`;
}

export function useResilienceList(state: ResiliencePageState) {
  const params = new URLSearchParams({ namespaces: state.namespaces.join(','), duration: state.duration });
  return useQuery({
    queryKey: queryKeys.resilience.list(state.namespaces, state.duration),
    queryFn: ({ signal }) =>
      apiFetch<ResilienceListResponse>(`/api/resilience?${params.toString()}`, { signal }),
    refetchInterval: refreshIntervalMs(state.refresh),
  });
}

export function useServiceResilience(namespace: string, service: string, state: ResiliencePageState) {
  return useQuery({
    queryKey: queryKeys.resilience.detail(namespace, service, state.duration),
    queryFn: ({ signal }) =>
      apiFetch<ResilienceResponse>(`${servicePath(namespace, service)}?duration=${state.duration}`, {
        signal,
      }),
    refetchInterval: refreshIntervalMs(state.refresh),
  });
}

/**
 * The routes and rules the editors work on. Not polled: a form keeps what was read, and someone
 * else's change in between shows up as a conflict when it is reviewed (the safe-write path).
 */
export function useResiliencePolicy(namespace: string, service: string) {
  return useQuery({
    queryKey: queryKeys.resilience.policy(namespace, service),
    queryFn: ({ signal }) =>
      apiFetch<ResiliencePolicyResponse>(`${servicePath(namespace, service)}/policy`, { signal }),
    refetchOnWindowFocus: false,
  });
}
