'use client';

import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { formatAge } from '@/lib/format/age';
import { queryKeys } from '@/lib/query-keys';
import type { SessionResponse } from '@/lib/types/session';
import type { KubeConnectionState, StatusResponse } from '@/lib/types/status';

/** Who is signed in (GET /api/auth/session); only this component asks. */
const SESSION_KEY = ['session'] as const;

/** How often the indicator asks again, in milliseconds. */
const POLL_MS = 30_000;

const STATE_WORDS: Record<KubeConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting',
  degraded: 'Degraded',
  disconnected: 'Disconnected',
  unconfigured: 'Not configured',
};

const MODE_WORDS: Record<SessionResponse['mode'], string> = {
  local: 'local (launch secret, kubeconfig identity)',
  token: 'signed in with a Kubernetes token',
  header: 'through an authenticating proxy',
};

function dotClass(status: StatusResponse | undefined, failed: boolean): string {
  if (failed || !status) return failed ? 'status-dot status-dot-bad' : 'status-dot';
  const { state } = status.kube;
  if (state === 'disconnected' || state === 'unconfigured') return 'status-dot status-dot-bad';
  if (state !== 'connected' || status.telemetry?.healthy === false) return 'status-dot status-dot-warn';
  return 'status-dot status-dot-ok';
}

/**
 * "Connected to": the cluster and context the dashboard reads, and its telemetry source with its
 * health. A disclosure in the header; the summary fits in one line.
 */
export function ConnectionIndicator() {
  const query = useQuery({
    queryKey: queryKeys.status.all,
    queryFn: ({ signal }) => apiFetch<StatusResponse>('/api/status', { signal }),
    refetchInterval: POLL_MS,
  });
  const session = useQuery({
    queryKey: SESSION_KEY,
    queryFn: ({ signal }) => apiFetch<SessionResponse>('/api/auth/session', { signal }),
    refetchInterval: POLL_MS,
    retry: false,
  });
  const status = query.data;
  const signedOut = query.error instanceof ApiError && query.error.status === 401;
  const failed = query.isError && !status;
  const handleSignOut = async () => {
    try {
      await apiFetch('/api/auth/session', {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    } finally {
      window.location.assign('/sign-in');
    }
  };
  const who = session.data;
  const summary = signedOut
    ? 'Not signed in'
    : failed
      ? 'Dashboard server unreachable'
      : status
        ? `${who && who.mode !== 'local' ? `${who.user} · ` : ''}${status.kube.context ?? 'no context'} · ${status.telemetry ? status.telemetry.name : 'no telemetry'}`
        : 'Checking connection…';
  return (
    <details className="connection-indicator" data-testid="connection-indicator">
      <summary aria-label={`Connection: ${STATE_WORDS[status?.kube.state ?? 'connecting']}, ${summary}`}>
        <span className={dotClass(status, failed)} aria-hidden="true" />
        {summary}
      </summary>
      {status && (
        <div className="connection-details">
          <dl className="number-list">
            <div>
              <dt>Cluster</dt>
              <dd>{status.kube.server ?? '–'}</dd>
            </div>
            <div>
              <dt>State</dt>
              <dd>{STATE_WORDS[status.kube.state]}</dd>
            </div>
            <div>
              <dt>Context</dt>
              <dd>{status.kube.context ?? '–'}</dd>
            </div>
            <div>
              <dt>User</dt>
              <dd data-testid="signed-in-user">{who?.user ?? status.kube.user ?? '–'}</dd>
            </div>
            <div>
              <dt>Access</dt>
              <dd data-testid="access-mode">
                {who ? `${MODE_WORDS[who.mode]}${who.readOnly ? ', read-only' : ''}` : '–'}
              </dd>
            </div>
            <div>
              <dt>Telemetry</dt>
              <dd>
                {status.telemetry ? `${status.telemetry.name} (${status.telemetry.target})` : 'not reported'}
              </dd>
            </div>
            <div>
              <dt>Telemetry health</dt>
              <dd>
                {status.telemetry === null
                  ? '–'
                  : status.telemetry.healthy
                    ? 'healthy'
                    : `failing${status.telemetry.lastError ? `: ${status.telemetry.lastError}` : ''}`}
              </dd>
            </div>
          </dl>
          {who && who.mode !== 'header' && (
            <button type="button" className="button-secondary" onClick={() => void handleSignOut()}>
              Sign out
            </button>
          )}
          {status.kube.message && <p>{status.kube.message}</p>}
          {status.kube.dataAsOf && (
            <p className="muted">
              Cluster data as of {formatAge(status.kube.dataAsOf, Date.parse(status.checkedAt))} before{' '}
              <time dateTime={status.checkedAt}>{new Date(status.checkedAt).toLocaleTimeString()}</time>.
            </p>
          )}
          {status.warnings.length > 0 && (
            <ul>
              {status.warnings.map((warning) => (
                <li key={`${warning.source}:${warning.message}`}>
                  {warning.source}: {warning.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
