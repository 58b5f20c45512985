'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { queryKeys } from '@/lib/query-keys';
import type {
  TrafficSplit,
  TrafficSplitChange,
  TrafficSplitHistory,
  TrafficSplitList,
  TrafficSplitResult,
} from '@/lib/types/traffic-split';

/** How often an open editor re-reads the object, in milliseconds (to notice others' changes). */
const REFRESH_MS = 15_000;

function path(namespace: string, name: string): string {
  return `/api/traffic-split/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'internal', error instanceof Error ? error.message : String(error));
}

export function useTrafficSplit(namespace: string, name: string) {
  return useQuery({
    queryKey: queryKeys.trafficSplit.detail(namespace, name),
    queryFn: ({ signal }) => apiFetch<TrafficSplit>(path(namespace, name), { signal }),
    refetchInterval: REFRESH_MS,
  });
}

export function useTrafficSplitHistory(namespace: string, name: string) {
  return useQuery({
    queryKey: queryKeys.trafficSplit.history(namespace, name),
    queryFn: ({ signal }) => apiFetch<TrafficSplitHistory>(`${path(namespace, name)}/history`, { signal }),
    refetchInterval: REFRESH_MS,
  });
}

export function useTrafficSplitList(filter: { namespace?: string; service?: string; all: boolean }) {
  const params = new URLSearchParams();
  if (filter.namespace) params.set('namespace', filter.namespace);
  if (filter.service) params.set('service', filter.service);
  if (filter.all) params.set('all', 'true');
  return useQuery({
    queryKey: queryKeys.trafficSplit.list(filter),
    queryFn: ({ signal }) =>
      apiFetch<TrafficSplitList>(`/api/traffic-split?${params.toString()}`, { signal }),
    refetchInterval: 30_000,
  });
}

/**
 * PUT of a change (a dry run or an apply). After an apply the object's queries are refetched; the
 * caller decides what a 400, 409 or other failure means for the editor.
 */
export function useTrafficSplitWrite(namespace: string, name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: TrafficSplitChange) =>
      apiFetch<TrafficSplitResult>(path(namespace, name), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(change),
      }),
    onSuccess: (result) => {
      if (result.dryRun) return;
      if (result.split) client.setQueryData(queryKeys.trafficSplit.detail(namespace, name), result.split);
      void client.invalidateQueries({ queryKey: queryKeys.trafficSplit.detail(namespace, name) });
    },
  });
}
