'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { queryKeys } from '@/lib/query-keys';
import type { ValidationsResponse } from '@/lib/types/config';
import type { NamespacesResponse } from '@/lib/types/namespace';
import type { OverviewResponse } from '@/lib/types/overview';
import { EmptyState } from './EmptyState';
import { ErrorBanner } from './ErrorBanner';
import { useMeshMtls } from './MeshLockIndicator';
import { NamespaceTable } from './NamespaceTable';

/** How often the list refreshes, in milliseconds. */
const REFRESH_INTERVAL_MS = 30_000;

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

/** The cluster's namespaces, with sidecar injection status; degrades to a banner, never a blank page. */
export function NamespaceOverview() {
  const query = useQuery({
    queryKey: queryKeys.namespaces.list(),
    queryFn: ({ signal }) => apiFetch<NamespacesResponse>('/api/namespaces', { signal }),
    refetchInterval: REFRESH_INTERVAL_MS,
  });
  // Health, traffic and counts come separately: the list shows at once, the numbers when ready.
  const overviewQuery = useQuery({
    queryKey: queryKeys.overview.all,
    queryFn: ({ signal }) => apiFetch<OverviewResponse>('/api/overview', { signal }),
    refetchInterval: REFRESH_INTERVAL_MS,
  });
  const overview = useMemo(
    () =>
      overviewQuery.data
        ? new Map(overviewQuery.data.namespaces.map((entry) => [entry.name, entry]))
        : undefined,
    [overviewQuery.data],
  );
  const validationsQuery = useQuery({
    queryKey: queryKeys.validations.list([], true),
    queryFn: ({ signal }) => apiFetch<ValidationsResponse>('/api/validations?summary=true', { signal }),
    refetchInterval: REFRESH_INTERVAL_MS,
  });
  const findings = useMemo(
    () =>
      validationsQuery.data
        ? new Map(
            validationsQuery.data.counts.byNamespace.map(({ namespace, ...counts }) => [namespace, counts]),
          )
        : undefined,
    [validationsQuery.data],
  );
  const mtlsQuery = useMeshMtls();
  const mtls = useMemo(
    () =>
      mtlsQuery.data
        ? new Map(mtlsQuery.data.namespaces.map((entry) => [entry.namespace, entry]))
        : undefined,
    [mtlsQuery.data],
  );
  const handleRetry = () => {
    void query.refetch();
  };

  if (query.isPending) {
    return (
      <p role="status" className="muted">
        Loading namespaces…
      </p>
    );
  }
  const { data } = query;
  return (
    <>
      {query.error && (
        <ErrorBanner
          error={asApiError(query.error)}
          staleSince={data ? query.dataUpdatedAt : undefined}
          retrying={query.isFetching}
          onRetry={handleRetry}
        />
      )}
      {[...(data?.warnings ?? []), ...(overviewQuery.data?.warnings ?? [])].map((warning) => (
        <p key={`${warning.source}:${warning.message}`} role="status" className="banner banner-warning">
          {warning.source}: {warning.message}
        </p>
      ))}
      {data && data.namespaces.length === 0 && (
        <EmptyState title="No namespaces to show">
          <p>
            The cluster answered with an empty list. Either it has no namespaces yet, or the identity
            Meshscope uses may not list them: check its RBAC with{' '}
            <code>kubectl auth can-i list namespaces</code> using the same kubeconfig and context.
          </p>
        </EmptyState>
      )}
      {data && data.namespaces.length > 0 && (
        <NamespaceTable
          namespaces={data.namespaces}
          now={query.dataUpdatedAt}
          overview={overview}
          findings={findings}
          mtls={mtls}
        />
      )}
    </>
  );
}
