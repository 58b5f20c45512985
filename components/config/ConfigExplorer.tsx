'use client';

import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { queryKeys } from '@/lib/query-keys';
import type { ConfigListResponse, ValidationsResponse } from '@/lib/types/config';
import type { NamespacesResponse } from '@/lib/types/namespace';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { ConfigFilters } from './ConfigFilters';
import { ConfigObjectsTable } from './ConfigObjectsTable';
import { FindingCounts } from './FindingCounts';
import { FindingsTable } from './FindingsTable';
import { useConfigPageState } from './useConfigPageState';
import { WarningList } from './WarningList';

/** How often the list and its findings refresh, in milliseconds. */
export const CONFIG_REFRESH_MS = 10_000;

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

/** Every Istio object with its finding counts, and the findings themselves, filtered from the URL. */
export function ConfigExplorer() {
  const [state, update] = useConfigPageState();
  const namespaces = state.namespace ? [state.namespace] : [];
  const namespaceList = useQuery({
    queryKey: queryKeys.namespaces.list(),
    queryFn: ({ signal }) => apiFetch<NamespacesResponse>('/api/namespaces', { signal }),
  });
  const list = useQuery({
    queryKey: queryKeys.config.list({ namespaces, kind: state.kind }),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams();
      if (state.namespace) params.set('namespace', state.namespace);
      if (state.kind) params.set('kind', state.kind);
      return apiFetch<ConfigListResponse>(`/api/config?${params}`, { signal });
    },
    refetchInterval: CONFIG_REFRESH_MS,
  });
  const validations = useQuery({
    queryKey: queryKeys.validations.list(namespaces, false),
    queryFn: ({ signal }) =>
      apiFetch<ValidationsResponse>(`/api/validations?namespaces=${encodeURIComponent(state.namespace)}`, {
        signal,
      }),
    refetchInterval: CONFIG_REFRESH_MS,
  });
  const handleRetry = () => {
    void list.refetch();
    void validations.refetch();
  };

  const error = list.error ?? validations.error;
  const items = (list.data?.items ?? []).filter(
    (item) => !state.severity || item.findings[state.severity] > 0,
  );
  const findings = (validations.data?.findings ?? []).filter(
    (finding) =>
      (!state.kind || finding.object.kind === state.kind) &&
      (!state.severity || finding.severity === state.severity),
  );
  return (
    <>
      <ConfigFilters
        state={state}
        namespaces={(namespaceList.data?.namespaces ?? []).map((namespace) => namespace.name)}
        onChange={update}
      />
      {error && (
        <ErrorBanner
          error={asApiError(error)}
          staleSince={list.data ? list.dataUpdatedAt : undefined}
          retrying={list.isFetching || validations.isFetching}
          onRetry={handleRetry}
        />
      )}
      <WarningList warnings={[...(list.data?.warnings ?? []), ...(validations.data?.warnings ?? [])]} />
      {list.isPending && (
        <p role="status" className="muted">
          Loading the Istio configuration…
        </p>
      )}
      {validations.data && (
        <p className="config-summary" data-testid="config-summary">
          {list.data ? `${items.length} objects shown. ` : ''}Findings:{' '}
          <FindingCounts counts={validations.data.counts.bySeverity} />
        </p>
      )}
      {list.data && items.length === 0 && (
        <EmptyState title="No Istio configuration to show">
          <p>
            {list.data.items.length > 0
              ? 'No object matches these filters: choose another kind, namespace or severity.'
              : 'The cluster has no Istio objects here. Create VirtualServices, DestinationRules and policies with kubectl or your GitOps tool; they appear within seconds.'}
          </p>
        </EmptyState>
      )}
      {items.length > 0 && <ConfigObjectsTable items={items} />}
      {validations.data && findings.length > 0 && <FindingsTable findings={findings} label="Findings" />}
      {validations.data && findings.length === 0 && (
        <p className="muted" role="status">
          No findings for these filters.
        </p>
      )}
    </>
  );
}
