'use client';

import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { queryKeys } from '@/lib/query-keys';
import type { ServicesResponse } from '@/lib/types/services';
import { WarningList } from '../config/WarningList';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { SortableTable } from '../SortableTable';
import { ListFilters } from './ListFilters';
import { SERVICE_COLUMNS } from './serviceColumns';
import { useListPageState } from './useListPageState';

/** How often the list refreshes, in milliseconds. */
export const SERVICES_REFRESH_MS = 15_000;

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

/** Every Service of the selected namespaces with its traffic, sidecars and Istio config. */
export function ServicesExplorer() {
  const [state, update] = useListPageState();
  const list = useQuery({
    queryKey: queryKeys.services.list(state.namespaces, state.duration),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ duration: `${state.duration}s` });
      if (state.namespaces.length > 0) params.set('namespaces', state.namespaces.join(','));
      return apiFetch<ServicesResponse>(`/api/services?${params}`, { signal });
    },
    refetchInterval: SERVICES_REFRESH_MS,
  });
  const needle = state.filter.trim().toLowerCase();
  const items = (list.data?.items ?? []).filter(
    (item) => needle === '' || `${item.namespace}/${item.name} ${item.fqdn}`.toLowerCase().includes(needle),
  );
  return (
    <>
      <ListFilters state={state} onChange={update} filterLabel="Filter services" />
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
          Loading services…
        </p>
      )}
      {list.data && list.data.items.length === 0 && (
        <EmptyState title="No services">
          <p>
            {state.namespaces.length > 0
              ? `The namespaces ${state.namespaces.join(', ')} hold no Kubernetes Service. Pick other namespaces above.`
              : 'The cluster holds no Kubernetes Service the dashboard may read.'}
          </p>
        </EmptyState>
      )}
      {list.data && list.data.items.length > 0 && items.length === 0 && (
        <EmptyState title="No service matches the filter">
          <p>No service name, namespace or host contains “{state.filter}”. Clear the filter to see all.</p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <SortableTable
          label={`Services (${items.length}), rates over ${state.duration}s`}
          columns={SERVICE_COLUMNS}
          rows={items}
          rowKey={(row) => `${row.namespace}/${row.name}`}
          initialSort={{ columnId: 'name', direction: 'ascending' }}
          testId="services-table"
          rowTestId="service-row"
        />
      )}
    </>
  );
}
