'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-fetch';
import { type GraphPageState, graphQueryOf, graphQueryString, refreshIntervalMs } from '@/lib/graph-params';
import { queryKeys } from '@/lib/query-keys';
import type { GraphResponse } from '@/lib/types/graph';

/**
 * The graph for the page's namespaces, type and window, polled at the page's refresh interval.
 * While a new query loads, the previous graph stays on screen (with a progress indicator).
 */
export function useGraphData(state: GraphPageState) {
  const query = graphQueryOf(state);
  return useQuery({
    queryKey: queryKeys.graph.detail(query),
    queryFn: ({ signal }) => apiFetch<GraphResponse>(`/api/graph?${graphQueryString(query)}`, { signal }),
    enabled: query.namespaces.length > 0,
    refetchInterval: refreshIntervalMs(state.refresh),
    // The graph is live data: each refresh is worth fetching, whatever staleTime the app sets.
    staleTime: 0,
    placeholderData: keepPreviousData,
    // Each answer is new (its timestamp at least): comparing megabytes of JSON with the previous
    // one to keep unchanged parts would cost a big graph's refresh more than it saves.
    structuralSharing: false,
  });
}
