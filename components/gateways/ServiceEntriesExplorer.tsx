'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { formatRatio, formatRps } from '@/lib/format/traffic';
import { configObjectHref } from '@/lib/istio-config/kinds';
import { queryKeys } from '@/lib/query-keys';
import { workloadHref } from '@/lib/services/href';
import type { ExternalTraffic, ServiceEntriesResponse, ServiceEntrySummary } from '@/lib/types/gateways';
import { WarningList } from '../config/WarningList';
import { type Column, DataTable } from '../DataTable';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { SortableTable } from '../SortableTable';
import { ListFilters } from '../services/ListFilters';
import { useListPageState } from '../services/useListPageState';

const REFRESH_MS = 15_000;

const total = (traffic: readonly ExternalTraffic[]) =>
  traffic.reduce((sum, item) => sum + item.requestRate, 0);

const ENTRY_COLUMNS: readonly Column<ServiceEntrySummary>[] = [
  {
    id: 'name',
    label: 'ServiceEntry',
    isRowHeader: true,
    value: (row) => `${row.namespace}/${row.name}`,
    render: (row) => (
      <Link href={configObjectHref({ kind: 'ServiceEntry', ...row })}>{`${row.namespace}/${row.name}`}</Link>
    ),
  },
  { id: 'hosts', label: 'Hosts', value: (row) => row.hosts.join(', ') },
  { id: 'location', label: 'Location', value: (row) => row.location },
  { id: 'resolution', label: 'Resolution', value: (row) => row.resolution },
  {
    id: 'ports',
    label: 'Ports',
    value: (row) => row.ports.map((port) => `${port.number}/${port.protocol}`).join(', ') || '—',
  },
  {
    id: 'rps',
    label: 'Requests (req/s)',
    value: (row) => total(row.traffic),
    render: (row) => formatRps(total(row.traffic)),
  },
  {
    id: 'callers',
    label: 'Callers',
    value: (row) => row.traffic.map((item) => item.source.workload).join(', '),
    render: (row) =>
      row.traffic.length === 0 ? (
        <span className="muted">none in the window</span>
      ) : (
        row.traffic.map((item) => item.source.workload).join(', ')
      ),
  },
  { id: 'findings', label: 'Findings', value: (row) => row.findings.length },
];

const UNREGISTERED_COLUMNS: readonly Column<ExternalTraffic>[] = [
  {
    id: 'source',
    label: 'Caller',
    isRowHeader: true,
    value: (row) => `${row.source.namespace}/${row.source.workload}`,
    render: (row) => (
      <Link href={workloadHref(row.source.namespace, row.source.workload)}>
        {`${row.source.namespace}/${row.source.workload}`}
      </Link>
    ),
  },
  { id: 'cluster', label: 'Cluster', value: (row) => row.cluster ?? row.host },
  { id: 'host', label: 'Host', value: (row) => (row.host === row.cluster ? 'unknown (TCP)' : row.host) },
  { id: 'rps', label: 'Requests (req/s)', value: (row) => formatRps(row.requestRate) },
  { id: 'errors', label: 'Errors', value: (row) => formatRatio(row.errorRate) },
];

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

/** External hosts: ServiceEntries with their traffic, and traffic that left the mesh unregistered. */
export function ServiceEntriesExplorer() {
  const [state, update] = useListPageState();
  const list = useQuery({
    queryKey: queryKeys.gateways.serviceEntries(state.namespaces, state.duration),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ duration: `${state.duration}s` });
      if (state.namespaces.length > 0) params.set('namespaces', state.namespaces.join(','));
      return apiFetch<ServiceEntriesResponse>(`/api/serviceentries?${params}`, { signal });
    },
    refetchInterval: REFRESH_MS,
  });
  const needle = state.filter.trim().toLowerCase();
  const items = (list.data?.items ?? []).filter(
    (item) =>
      needle === '' ||
      `${item.namespace}/${item.name} ${item.hosts.join(' ')}`.toLowerCase().includes(needle),
  );
  return (
    <>
      <ListFilters state={state} onChange={update} filterLabel="Filter service entries" />
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
          Loading service entries…
        </p>
      )}
      {list.data && items.length === 0 && (
        <EmptyState title="No service entries">
          <p>
            {list.data.items.length > 0
              ? `No service entry name or host contains “${state.filter}”.`
              : 'No ServiceEntry is defined in these namespaces: the mesh registers no external host. With the default outbound policy (ALLOW_ANY) calls to unknown hosts still leave through PassthroughCluster; they are listed below.'}
          </p>
        </EmptyState>
      )}
      {items.length > 0 && (
        <SortableTable
          label={`Service entries (${items.length}), rates over ${state.duration}s`}
          columns={ENTRY_COLUMNS}
          rows={items}
          rowKey={(row) => `${row.namespace}/${row.name}`}
          initialSort={{ columnId: 'name', direction: 'ascending' }}
          testId="serviceentries-table"
        />
      )}
      <h2>Unregistered external traffic</h2>
      {list.data && list.data.unregistered.length === 0 ? (
        <p className="muted">
          No request went to PassthroughCluster (an unknown host under ALLOW_ANY) or BlackHoleCluster (refused
          under REGISTRY_ONLY) in the window.
        </p>
      ) : (
        <DataTable
          label="Requests to PassthroughCluster and BlackHoleCluster"
          columns={UNREGISTERED_COLUMNS}
          rows={list.data?.unregistered ?? []}
          rowKey={(row) => `${row.source.namespace}/${row.source.workload}|${row.host}`}
        />
      )}
    </>
  );
}
