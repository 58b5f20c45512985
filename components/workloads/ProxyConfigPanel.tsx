'use client';

import { useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, type ReactNode, useId } from 'react';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { searchRows } from '@/lib/envoy/config-dump';
import { queryKeys } from '@/lib/query-keys';
import type { ProxyConfigResponse } from '@/lib/types/workloads';
import { PROXY_TABS, type ProxyTab } from '@/lib/workloads/page-state';
import { DataTable } from '../DataTable';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { CLUSTER_COLUMNS, LISTENER_COLUMNS, ROUTE_COLUMNS } from './proxyConfigColumns';

export interface ProxyConfigPanelProps {
  namespace: string;
  pod: string;
  tab: ProxyTab;
  search: string;
  onChange: (patch: { tab?: ProxyTab; search?: string }) => void;
}

const TAB_LABELS: Record<ProxyTab, string> = {
  routes: 'Routes',
  clusters: 'Clusters',
  listeners: 'Listeners',
  raw: 'Raw JSON',
};

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

/**
 * A pod's Envoy configuration as `istioctl proxy-config` shows it: routes (with weights),
 * clusters and listeners as searchable tables, and the raw `/config_dump`. Tabs follow the ARIA
 * tabs pattern (arrow keys move between them).
 */
export function ProxyConfigPanel({ namespace, pod, tab, search, onChange }: ProxyConfigPanelProps) {
  const id = useId();
  const base = `/api/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}/proxy-config`;
  const tables = useQuery({
    queryKey: queryKeys.workloads.proxyConfig(namespace, pod),
    queryFn: ({ signal }) => apiFetch<ProxyConfigResponse>(`${base}?section=all`, { signal }),
  });
  const raw = useQuery({
    queryKey: [...queryKeys.workloads.proxyConfig(namespace, pod), 'raw'],
    queryFn: ({ signal }) => apiFetch<ProxyConfigResponse>(`${base}?section=routes&raw=true`, { signal }),
    enabled: tab === 'raw',
  });
  const handleTabKeys = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = PROXY_TABS.indexOf(tab);
    const next =
      PROXY_TABS[(index + (event.key === 'ArrowRight' ? 1 : PROXY_TABS.length - 1)) % PROXY_TABS.length];
    if (next) {
      onChange({ tab: next });
      document.getElementById(`${id}-tab-${next}`)?.focus();
    }
  };
  const data = tables.data;
  return (
    <section className="workload-section" aria-labelledby={`${id}-title`} data-testid="proxy-config">
      <h2 id={`${id}-title`}>
        Envoy proxy config <span className="muted">of {pod}</span>
      </h2>
      <div role="tablist" aria-label="Proxy config sections" className="tab-list" onKeyDown={handleTabKeys}>
        {PROXY_TABS.map((name) => (
          <button
            key={name}
            id={`${id}-tab-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls={`${id}-panel`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => onChange({ tab: name })}
          >
            {TAB_LABELS[name]}
            {name !== 'raw' && data ? ` (${data[name]?.length ?? 0})` : ''}
          </button>
        ))}
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${tab}`}>
        {tab !== 'raw' && (
          <label className="workload-filters">
            <span className="field-label">Search {TAB_LABELS[tab].toLowerCase()}</span>
            <input
              type="search"
              value={search}
              onChange={(event) => onChange({ search: event.target.value })}
            />
          </label>
        )}
        {tables.error && (
          <ErrorBanner
            error={asApiError(tables.error)}
            retrying={tables.isFetching}
            onRetry={() => void tables.refetch()}
          />
        )}
        {tables.isPending && (
          <p role="status" className="muted">
            Reading /config_dump from {pod} through a port-forward…
          </p>
        )}
        {data && tab === 'routes' && (
          <Rows label="Routes" rows={searchRows(data.routes ?? [], search)} total={data.routes?.length ?? 0}>
            {(rows) => (
              <DataTable
                label={`Routes (${rows.length})`}
                columns={ROUTE_COLUMNS}
                rows={rows}
                rowKey={(row) => `${row.routeConfig}/${row.virtualHost}/${row.name}/${row.match}`}
                testId="proxy-routes-table"
              />
            )}
          </Rows>
        )}
        {data && tab === 'clusters' && (
          <Rows
            label="Clusters"
            rows={searchRows(data.clusters ?? [], search)}
            total={data.clusters?.length ?? 0}
          >
            {(rows) => (
              <DataTable
                label={`Clusters (${rows.length})`}
                columns={CLUSTER_COLUMNS}
                rows={rows}
                rowKey={(row) => `${row.state}/${row.name}`}
                testId="proxy-clusters-table"
              />
            )}
          </Rows>
        )}
        {data && tab === 'listeners' && (
          <Rows
            label="Listeners"
            rows={searchRows(data.listeners ?? [], search)}
            total={data.listeners?.length ?? 0}
          >
            {(rows) => (
              <DataTable
                label={`Listeners (${rows.length})`}
                columns={LISTENER_COLUMNS}
                rows={rows}
                rowKey={(row) => `${row.state}/${row.name}`}
                testId="proxy-listeners-table"
              />
            )}
          </Rows>
        )}
        {tab === 'raw' && raw.isPending && (
          <p role="status" className="muted">
            Reading the raw dump…
          </p>
        )}
        {tab === 'raw' && raw.data && (
          <textarea
            className="raw-json"
            data-testid="proxy-raw-json"
            aria-label="Raw /config_dump JSON"
            readOnly
            rows={30}
            value={JSON.stringify(raw.data.raw, null, 2)}
          />
        )}
        {data && (
          <p className="muted">
            Read at {new Date(data.fetchedAt).toLocaleTimeString()} in {data.durationMs} ms
            {data.node?.istioVersion ? `; Istio ${data.node.istioVersion}` : ''}.{' '}
            <button type="button" onClick={() => void tables.refetch()} disabled={tables.isFetching}>
              {tables.isFetching ? 'Reading…' : 'Read again'}
            </button>
          </p>
        )}
      </div>
    </section>
  );
}

function Rows<Row>({
  label,
  rows,
  total,
  children,
}: {
  label: string;
  rows: Row[];
  total: number;
  children: (rows: Row[]) => ReactNode;
}) {
  if (total === 0)
    return (
      <EmptyState title={`No ${label.toLowerCase()}`}>
        <p>
          The proxy reports no {label.toLowerCase()}: it may not have received its configuration from istiod
          yet.
        </p>
      </EmptyState>
    );
  if (rows.length === 0)
    return (
      <EmptyState title={`No ${label.toLowerCase()} match the search`}>
        <p>
          {total} {label.toLowerCase()}, none containing every word of the search. Clear it to see them all.
        </p>
      </EmptyState>
    );
  return <div className="table-scroll">{children(rows)}</div>;
}
