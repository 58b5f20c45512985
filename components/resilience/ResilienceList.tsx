'use client';

import Link from 'next/link';
import type { ResilienceServiceSummary } from '@/lib/resilience/list-types';
import { resilienceHref } from '@/lib/resilience/page-params';
import { type Column, DataTable } from '../DataTable';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { ResilienceToolbar } from './ResilienceToolbar';
import { asApiError, useResilienceList } from './useResilience';
import { useResilienceUrlState } from './useResilienceUrlState';
import { WarningBanners } from './WarningBanners';

function ejectionCell(row: ResilienceServiceSummary) {
  if (!row.ejection)
    return <span className="muted">{row.outlierDetection ? 'no callers seen yet' : 'cannot eject'}</span>;
  return (
    <span className={row.ejection.ejected > 0 ? 'ejection-count ejection-active' : 'ejection-count'}>
      {row.ejection.text}
    </span>
  );
}

/** Services of the selected namespaces with their circuit breakers and current ejections. */
export function ResilienceList() {
  const [state, update] = useResilienceUrlState();
  const query = useResilienceList(state);
  const columns: Column<ResilienceServiceSummary>[] = [
    {
      id: 'service',
      label: 'Service',
      value: (row) => `${row.namespace}/${row.name}`,
      render: (row) => (
        <Link href={resilienceHref(row.namespace, row.name, state)}>
          {row.namespace}/{row.name}
        </Link>
      ),
      isRowHeader: true,
    },
    {
      id: 'ejections',
      label: 'Ejections now',
      value: (row) => row.ejection?.text ?? '',
      render: ejectionCell,
    },
    { id: 'outlier', label: 'Outlier detection', value: (row) => row.outlierDetection ?? 'off' },
    { id: 'pool', label: 'Connection pool', value: (row) => row.connectionPool ?? 'no limits' },
    {
      id: 'subsets',
      label: 'Subsets with own policy',
      value: (row) => row.subsetPolicies.join(', ') || '—',
    },
    { id: 'rule', label: 'DestinationRule', value: (row) => row.destinationRule ?? 'none (Istio defaults)' },
  ];
  return (
    <>
      <ResilienceToolbar state={state} onChange={update} withNamespaces />
      {query.isPending && (
        <p role="status" className="muted" aria-busy="true">
          Loading services and polling their callers’ proxies…
        </p>
      )}
      {query.error && (
        <ErrorBanner
          error={asApiError(query.error)}
          {...(query.data ? { staleSince: query.dataUpdatedAt } : {})}
          retrying={query.isFetching}
          onRetry={() => void query.refetch()}
        />
      )}
      {query.data && <WarningBanners warnings={query.data.warnings} />}
      {query.data && query.data.services.length === 0 && (
        <EmptyState title="No services">
          <p>
            Namespace{state.namespaces.length === 1 ? '' : 's'} {state.namespaces.join(', ')} ha
            {state.namespaces.length === 1 ? 's' : 've'} no Service. Pick other namespaces above.
          </p>
        </EmptyState>
      )}
      {query.data && query.data.services.length > 0 && (
        <>
          <DataTable
            label="Services, their circuit breakers and ejections"
            columns={columns}
            rows={query.data.services}
            rowKey={(row) => `${row.namespace}/${row.name}`}
            testId="resilience-list"
          />
          <p className="muted">
            Ejections come from the Envoy admin state of each service’s callers ({query.data.callerPods}{' '}
            proxies polled), only for services whose DestinationRule has outlier detection.
          </p>
        </>
      )}
    </>
  );
}
