'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { REFRESH_OPTIONS, type RefreshSetting, refreshIntervalMs } from '@/lib/graph-params';
import { queryKeys } from '@/lib/query-keys';
import type { NamespacesResponse } from '@/lib/types/namespace';
import type { WorkloadListResponse } from '@/lib/types/workloads';
import {
  HEALTH_FILTERS,
  LIST_DURATIONS,
  matchesSearch,
  parseWorkloadListState,
  SIDECAR_FILTERS,
  type WorkloadListState,
  workloadListSearch,
} from '@/lib/workloads/page-state';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { NamespaceSelect } from '../graph/NamespaceSelect';
import { SortableTable } from '../SortableTable';
import { useUrlState } from './useUrlState';
import { WORKLOAD_COLUMNS } from './workloadColumns';
import './workloads.css';

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

/** Every workload of the namespaces in the URL (all when none), sortable and filterable. */
export function WorkloadsExplorer() {
  const [state, update] = useUrlState<WorkloadListState>(parseWorkloadListState, workloadListSearch);
  const namespaceList = useQuery({
    queryKey: queryKeys.namespaces.list(),
    queryFn: ({ signal }) => apiFetch<NamespacesResponse>('/api/namespaces', { signal }),
  });
  const list = useQuery({
    queryKey: queryKeys.workloads.list(state.namespaces, state.duration),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ duration: `${state.duration}s` });
      if (state.namespaces.length > 0) params.set('namespaces', state.namespaces.join(','));
      return apiFetch<WorkloadListResponse>(`/api/workloads?${params}`, { signal });
    },
    refetchInterval: refreshIntervalMs(state.refresh),
    placeholderData: keepPreviousData,
  });
  const rows = (list.data?.workloads ?? []).filter(
    (row) =>
      matchesSearch(row, state.search) &&
      (!state.sidecar ||
        (state.sidecar === 'present' ? row.sidecar === 'present' : row.sidecar !== 'present')) &&
      (!state.health || row.health === state.health),
  );
  const total = list.data?.workloads.length ?? 0;
  return (
    <>
      <form className="workload-filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <div>
          <NamespaceSelect
            options={(namespaceList.data?.namespaces ?? []).map((namespace) => namespace.name)}
            selected={state.namespaces}
            onChange={(namespaces) => update({ namespaces })}
            loading={namespaceList.isPending}
          />
        </div>
        <label>
          <span className="field-label">Search</span>
          <input
            type="search"
            value={state.search}
            placeholder="name, app, label=value"
            onChange={(event) => update({ search: event.target.value })}
          />
        </label>
        <label>
          <span className="field-label">Sidecar</span>
          <select
            value={state.sidecar}
            onChange={(event) => update({ sidecar: event.target.value as WorkloadListState['sidecar'] })}
          >
            {SIDECAR_FILTERS.map((value) => (
              <option key={value} value={value}>
                {value === '' ? 'Any' : value === 'present' ? 'Present' : 'Missing'}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Health</span>
          <select
            value={state.health}
            onChange={(event) => update({ health: event.target.value as WorkloadListState['health'] })}
          >
            {HEALTH_FILTERS.map((value) => (
              <option key={value} value={value}>
                {value === '' ? 'Any' : value}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Rate window</span>
          <select
            value={state.duration}
            onChange={(event) => update({ duration: Number(event.target.value) })}
          >
            {LIST_DURATIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Refresh</span>
          <select
            value={state.refresh}
            onChange={(event) => update({ refresh: event.target.value as RefreshSetting })}
          >
            {REFRESH_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      {list.error && (
        <ErrorBanner
          error={asApiError(list.error)}
          staleSince={list.data ? list.dataUpdatedAt : undefined}
          retrying={list.isFetching}
          onRetry={() => void list.refetch()}
        />
      )}
      {(list.data?.warnings ?? []).map((warning) => (
        <p key={`${warning.source}:${warning.message}`} role="status" className="banner banner-warning">
          {warning.source}: {warning.message}
        </p>
      ))}
      {list.isPending && (
        <p role="status" className="muted">
          Loading workloads…
        </p>
      )}
      {list.data && total === 0 && (
        <EmptyState title="No workloads">
          <p>
            {state.namespaces.length > 0
              ? `No Deployments, StatefulSets, DaemonSets or pods in ${state.namespaces.join(', ')}.`
              : 'The cluster has no workloads the dashboard may read.'}{' '}
            Pick other namespaces, or check that your account may list pods.
          </p>
        </EmptyState>
      )}
      {list.data && total > 0 && rows.length === 0 && (
        <EmptyState title="No workload matches the filters">
          <p>{total} workloads, none matching. Clear the search or the sidecar and health filters.</p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <SortableTable
          label={`${rows.length} of ${total} workloads${list.data?.telemetry ? `, rates over the last ${list.data.telemetry.windowSeconds} s` : ''}`}
          columns={WORKLOAD_COLUMNS}
          rows={rows}
          rowKey={(row) => `${row.namespace}/${row.name}`}
          initialSort={{ columnId: 'name', direction: 'ascending' }}
          testId="workloads-table"
          rowTestId="workload-row"
        />
      )}
    </>
  );
}
