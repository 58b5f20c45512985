'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { queryKeys } from '@/lib/query-keys';
import type { GatewaysResponse } from '@/lib/types/gateways';
import { WarningList } from '../config/WarningList';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { ListFilters } from '../services/ListFilters';
import { useListPageState } from '../services/useListPageState';
import { GatewayCard } from './GatewayCard';

const REFRESH_MS = 15_000;

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

/** Every Istio Gateway of the selected namespaces: how traffic enters the mesh. */
export function GatewaysExplorer() {
  const [state, update] = useListPageState();
  const list = useQuery({
    queryKey: queryKeys.gateways.list(state.namespaces, state.duration),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ duration: `${state.duration}s` });
      if (state.namespaces.length > 0) params.set('namespaces', state.namespaces.join(','));
      return apiFetch<GatewaysResponse>(`/api/gateways?${params}`, { signal });
    },
    refetchInterval: REFRESH_MS,
  });
  const needle = state.filter.trim().toLowerCase();
  const items = (list.data?.items ?? []).filter(
    (item) =>
      needle === '' ||
      `${item.namespace}/${item.name} ${item.servers.flatMap((server) => server.hosts).join(' ')}`
        .toLowerCase()
        .includes(needle),
  );
  return (
    <>
      <ListFilters state={state} onChange={update} filterLabel="Filter gateways" />
      {list.error && (
        <ErrorBanner
          error={asApiError(list.error)}
          staleSince={list.data ? list.dataUpdatedAt : undefined}
          retrying={list.isFetching}
          onRetry={() => void list.refetch()}
        />
      )}
      <WarningList warnings={list.data?.warnings ?? []} />
      {list.isPending && (
        <p role="status" className="muted">
          Loading gateways…
        </p>
      )}
      {list.data && items.length === 0 && (
        <EmptyState title="No gateways">
          <p>
            {list.data.items.length > 0
              ? `No gateway name or host contains “${state.filter}”.`
              : 'No Istio Gateway is defined in these namespaces, so nothing enters the mesh through an ingress gateway. '}
            External hosts the mesh calls are on the <Link href="/serviceentries">service entries</Link> page.
          </p>
        </EmptyState>
      )}
      <ul className="gateway-list">
        {items.map((gateway) => (
          <li key={`${gateway.namespace}/${gateway.name}`}>
            <GatewayCard gateway={gateway} />
          </li>
        ))}
      </ul>
    </>
  );
}
