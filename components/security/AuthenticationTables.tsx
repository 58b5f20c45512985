import type {
  LocalRateLimitSummary,
  PeerAuthenticationSummary,
  RequestAuthenticationSummary,
} from '@/lib/types/security';
import { type Column, DataTable } from '../DataTable';
import { workloadList } from './AuthorizationPolicyTable';

const ref = (entry: { namespace: string; name: string }) => `${entry.namespace}/${entry.name}`;

const REQUEST_AUTHN: readonly Column<RequestAuthenticationSummary>[] = [
  { id: 'name', label: 'RequestAuthentication', value: ref, isRowHeader: true },
  {
    id: 'issuers',
    label: 'JWT issuers',
    value: (entry) => (entry.issuers.length > 0 ? entry.issuers.join(', ') : 'none (accepts no token)'),
  },
  { id: 'selects', label: 'Applied to', value: (entry) => workloadList(entry.selects) },
];

const PEER_AUTHN: readonly Column<PeerAuthenticationSummary>[] = [
  { id: 'name', label: 'PeerAuthentication', value: ref, isRowHeader: true },
  { id: 'level', label: 'Level', value: (entry) => entry.level },
  { id: 'summary', label: 'Mode', value: (entry) => entry.summary },
  { id: 'selects', label: 'Applies to', value: (entry) => workloadList(entry.selects) },
];

const RATE_LIMITS: readonly Column<LocalRateLimitSummary>[] = [
  { id: 'name', label: 'EnvoyFilter', value: ref, isRowHeader: true },
  { id: 'summary', label: 'Local rate limit', value: (entry) => entry.summary },
  { id: 'context', label: 'Context', value: (entry) => entry.context },
  { id: 'selects', label: 'Workloads', value: (entry) => workloadList(entry.selects) },
];

export interface AuthenticationTablesProps {
  requestAuthentications: readonly RequestAuthenticationSummary[];
  peerAuthentications: readonly PeerAuthenticationSummary[];
  rateLimits: readonly LocalRateLimitSummary[];
}

/** RequestAuthentications (JWT), PeerAuthentications and EnvoyFilter local rate limits, beside the policies. */
export function AuthenticationTables({
  requestAuthentications,
  peerAuthentications,
  rateLimits,
}: AuthenticationTablesProps) {
  return (
    <>
      <h3>Request authentication (JWT)</h3>
      {requestAuthentications.length === 0 ? (
        <p className="muted">No RequestAuthentication: no workload here validates JWTs.</p>
      ) : (
        <DataTable
          label="RequestAuthentications"
          testId="request-authentications"
          columns={REQUEST_AUTHN}
          rows={requestAuthentications}
          rowKey={ref}
        />
      )}
      <h3>Peer authentication</h3>
      {peerAuthentications.length === 0 ? (
        <p className="muted">No PeerAuthentication: every workload is PERMISSIVE, Istio's default.</p>
      ) : (
        <DataTable label="PeerAuthentications" columns={PEER_AUTHN} rows={peerAuthentications} rowKey={ref} />
      )}
      <h3>Local rate limits</h3>
      {rateLimits.length === 0 ? (
        <p className="muted">
          No EnvoyFilter adds a local rate limit (<code>envoy.filters.http.local_ratelimit</code>) here.
        </p>
      ) : (
        <DataTable
          label="Local rate limits"
          testId="rate-limits"
          columns={RATE_LIMITS}
          rows={rateLimits}
          rowKey={(entry) => `${ref(entry)}/${entry.context}/${entry.summary}`}
        />
      )}
    </>
  );
}
