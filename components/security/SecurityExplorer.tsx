'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { queryKeys } from '@/lib/query-keys';
import { EMPTY_WHAT_IF, type WhatIfInputs } from '@/lib/security/page-params';
import type { NamespacesResponse } from '@/lib/types/namespace';
import type { MtlsResponse, PoliciesResponse } from '@/lib/types/security';
import { WarningList } from '../config/WarningList';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { NamespaceSelect } from '../graph/NamespaceSelect';
import { AuthenticationTables } from './AuthenticationTables';
import { AuthorizationPolicyTable } from './AuthorizationPolicyTable';
import { MtlsLock } from './MtlsLock';
import { MtlsMatrix } from './MtlsMatrix';
import { MtlsTraffic } from './MtlsTraffic';
import { SecurityTabs } from './SecurityTabs';
import { useSecurityPageState } from './useSecurityPageState';
import { WhatIfPanel } from './WhatIfPanel';
import { WorkloadPolicies } from './WorkloadPolicies';
import './security.css';

/** How often the views refresh, in milliseconds. */
export const SECURITY_REFRESH_MS = 10_000;

const asApiError = (error: Error) =>
  error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
const namespacesParam = (namespaces: readonly string[]) =>
  namespaces.length > 0 ? `?namespaces=${encodeURIComponent(namespaces.join(','))}` : '';

/** The security page: effective mTLS, the authorization policies, and the what-if check. */
export function SecurityExplorer() {
  const panelId = useId();
  const [state, update] = useSecurityPageState();
  const namespaceList = useQuery({
    queryKey: queryKeys.namespaces.list(),
    queryFn: ({ signal }) => apiFetch<NamespacesResponse>('/api/namespaces', { signal }),
  });
  const mtls = useQuery({
    queryKey: queryKeys.security.mtls(state.namespaces),
    queryFn: ({ signal }) =>
      apiFetch<MtlsResponse>(`/api/security/mtls${namespacesParam(state.namespaces)}`, { signal }),
    refetchInterval: SECURITY_REFRESH_MS,
  });
  const policies = useQuery({
    queryKey: queryKeys.security.policies(state.namespaces),
    queryFn: ({ signal }) =>
      apiFetch<PoliciesResponse>(`/api/security/policies${namespacesParam(state.namespaces)}`, { signal }),
    refetchInterval: SECURITY_REFRESH_MS,
  });
  const allNamespaces = (namespaceList.data?.namespaces ?? []).map((namespace) => namespace.name);
  const error = mtls.error ?? policies.error;
  const handleRefresh = () => {
    void mtls.refetch();
    void policies.refetch();
  };
  const handleWhatIf = (inputs: WhatIfInputs) => update({ ...inputs, tab: 'whatif' });
  const handleCheck = (namespace: string, name: string) =>
    update({ ...EMPTY_WHAT_IF, dstNs: namespace, dstWorkload: name, tab: 'whatif' });

  return (
    <>
      <div className="security-toolbar">
        <NamespaceSelect
          options={allNamespaces}
          selected={state.namespaces}
          loading={namespaceList.isPending}
          onChange={(namespaces) => update({ namespaces })}
        />
        {mtls.data && (
          <span data-testid="mesh-lock-status">
            Mesh: <MtlsLock status={mtls.data.mesh.status} />
          </span>
        )}
        <button type="button" className="button-secondary" onClick={handleRefresh} disabled={mtls.isFetching}>
          {mtls.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
        {mtls.data && (
          <span className="muted data-age">
            Configuration as of{' '}
            <time dateTime={mtls.data.asOf}>{new Date(mtls.data.asOf).toLocaleTimeString()}</time>; refreshes
            every {SECURITY_REFRESH_MS / 1000} s
          </span>
        )}
      </div>
      {error && (
        <ErrorBanner
          error={asApiError(error)}
          staleSince={mtls.data ? mtls.dataUpdatedAt : undefined}
          retrying={mtls.isFetching || policies.isFetching}
          onRetry={handleRefresh}
        />
      )}
      <WarningList warnings={[...(mtls.data?.warnings ?? []), ...(policies.data?.warnings ?? [])]} />
      <SecurityTabs tab={state.tab} onChange={(tab) => update({ tab })} panelId={panelId} />
      <div role="tabpanel" id={`${panelId}-${state.tab}`} aria-labelledby={`${panelId}-${state.tab}-tab`}>
        {state.tab === 'mtls' &&
          (mtls.data && mtls.data.workloads.length === 0 ? (
            <EmptyState title="No workloads to show">
              <p>
                {state.namespaces.length > 0
                  ? 'These namespaces have no workloads: choose other namespaces, or deploy into them.'
                  : 'The cluster has no workloads Meshscope may read. Check that the namespaces exist and that its identity may list pods and deployments.'}
              </p>
            </EmptyState>
          ) : mtls.data ? (
            <>
              <MtlsMatrix view={mtls.data} />
              <h2>Traffic against configuration</h2>
              <MtlsTraffic view={mtls.data} />
            </>
          ) : (
            mtls.isPending && (
              <p role="status" className="muted">
                Reading the mTLS configuration and traffic…
              </p>
            )
          ))}
        {state.tab === 'policies' &&
          (policies.data ? (
            <>
              <h2>Authorization policies</h2>
              <AuthorizationPolicyTable policies={policies.data.authorizationPolicies} />
              <WorkloadPolicies
                policies={policies.data}
                selected={state.workload}
                onSelect={(workload) => update({ workload })}
                onCheck={handleCheck}
              />
              <AuthenticationTables
                requestAuthentications={policies.data.requestAuthentications}
                peerAuthentications={policies.data.peerAuthentications}
                rateLimits={policies.data.rateLimits}
              />
            </>
          ) : (
            policies.isPending && (
              <p role="status" className="muted">
                Reading the policies…
              </p>
            )
          ))}
        {state.tab === 'whatif' && (
          <WhatIfPanel
            inputs={state}
            namespaces={allNamespaces}
            workloads={policies.data?.workloads ?? []}
            onSubmit={handleWhatIf}
          />
        )}
      </div>
    </>
  );
}
