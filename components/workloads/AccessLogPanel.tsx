'use client';

import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import type { AccessLogEntry } from '@/lib/envoy/access-log';
import { responseClass } from '@/lib/envoy/access-log';
import { RESPONSE_FLAGS } from '@/lib/envoy/response-flags';
import { queryKeys } from '@/lib/query-keys';
import type { PodLogsResponse } from '@/lib/types/workloads';
import { LOG_CODES, LOG_TAILS, type WorkloadPageState } from '@/lib/workloads/page-state';
import { type Column, DataTable } from '../DataTable';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';

/** How often the log is read while following, in milliseconds. */
const FOLLOW_MS = 2_000;

type Row = { index: number; raw: string; entry: AccessLogEntry | undefined };

const COLUMNS: readonly Column<Row>[] = [
  {
    id: 'time',
    label: 'Time',
    value: (row) => (row.entry ? new Date(row.entry.time).toLocaleTimeString() : ''),
  },
  {
    id: 'request',
    label: 'Request',
    isRowHeader: true,
    value: (row) => (row.entry ? `${row.entry.method} ${row.entry.path}` : row.raw),
  },
  {
    id: 'code',
    label: 'Code',
    value: (row) => row.entry?.responseCode ?? '',
    render: (row) =>
      row.entry ? (
        <span className={`log-code-${responseClass(row.entry.responseCode)}`}>{row.entry.responseCode}</span>
      ) : (
        ''
      ),
  },
  {
    id: 'flags',
    label: 'Flags',
    value: (row) => row.entry?.responseFlags ?? '',
    render: (row) =>
      row.entry && row.entry.flags.length > 0
        ? row.entry.flags.map((flag) => `${flag.code}: ${flag.description}`).join('; ')
        : '–',
  },
  { id: 'duration', label: 'Duration', value: (row) => (row.entry ? `${row.entry.durationMs} ms` : '') },
  { id: 'authority', label: 'Authority', value: (row) => row.entry?.authority ?? '' },
  { id: 'cluster', label: 'Upstream cluster', value: (row) => row.entry?.upstreamCluster ?? '' },
  { id: 'details', label: 'Details', value: (row) => row.entry?.details ?? '' },
];

export interface AccessLogPanelProps {
  namespace: string;
  pod: string;
  state: Pick<WorkloadPageState, 'logCode' | 'logFlag' | 'follow' | 'tail'>;
  onChange: (patch: Partial<Pick<WorkloadPageState, 'logCode' | 'logFlag' | 'follow' | 'tail'>>) => void;
}

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

/** The istio-proxy access log of a pod: the last lines, followed by polling, filtered by code class or flag. */
export function AccessLogPanel({ namespace, pod, state, onChange }: AccessLogPanelProps) {
  const filter = { tail: state.tail, code: state.logCode, flag: state.logFlag };
  const logs = useQuery({
    queryKey: queryKeys.workloads.logs(namespace, pod, filter),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ container: 'istio-proxy', tail: String(state.tail) });
      if (state.logCode) params.set('code', state.logCode);
      if (state.logFlag) params.set('flag', state.logFlag);
      return apiFetch<PodLogsResponse>(
        `/api/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}/logs?${params}`,
        { signal },
      );
    },
    // No placeholder from another filter: unfiltered lines must never show under a filter.
    refetchInterval: state.follow ? FOLLOW_MS : false,
  });
  const rows: Row[] = (logs.data?.lines ?? [])
    .map((line, index) => ({
      index,
      raw: line.raw,
      entry: line.kind === 'access' ? line.entry : undefined,
    }))
    .reverse();
  const filtered = Boolean(state.logCode || state.logFlag);
  return (
    <section className="workload-section" aria-labelledby="access-log-title" data-testid="access-log">
      <h2 id="access-log-title">
        Access log <span className="muted">of {pod} (istio-proxy)</span>
      </h2>
      <form
        className="workload-filters"
        aria-label="Access log filters"
        onSubmit={(event) => event.preventDefault()}
      >
        <label>
          <span className="field-label">Response code</span>
          <select
            value={state.logCode}
            onChange={(event) => onChange({ logCode: event.target.value as WorkloadPageState['logCode'] })}
          >
            {LOG_CODES.map((code) => (
              <option key={code} value={code}>
                {code === '' ? 'All' : code}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Response flag</span>
          <select value={state.logFlag} onChange={(event) => onChange({ logFlag: event.target.value })}>
            <option value="">Any or none</option>
            <option value="any">Any flag set</option>
            {RESPONSE_FLAGS.map((flag) => (
              <option key={flag.code} value={flag.code}>
                {flag.code}: {flag.description}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Lines</span>
          <select value={state.tail} onChange={(event) => onChange({ tail: Number(event.target.value) })}>
            {LOG_TAILS.map((tail) => (
              <option key={tail} value={tail}>
                last {tail}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox-label">
          <input
            type="checkbox"
            checked={state.follow}
            onChange={(event) => onChange({ follow: event.target.checked })}
          />{' '}
          Follow (every {FOLLOW_MS / 1000} s)
        </label>
        <button type="button" onClick={() => void logs.refetch()} disabled={logs.isFetching}>
          {logs.isFetching ? 'Reading…' : 'Read now'}
        </button>
      </form>
      {logs.error && (
        <ErrorBanner
          error={asApiError(logs.error)}
          retrying={logs.isFetching}
          onRetry={() => void logs.refetch()}
        />
      )}
      {logs.isPending && (
        <p role="status" className="muted">
          Reading the last {state.tail} lines…
        </p>
      )}
      {logs.data && rows.length === 0 && (
        <EmptyState title={filtered ? 'No matching requests' : 'No log lines'}>
          <p>
            {filtered
              ? `None of the last ${logs.data.read} lines is a ${[state.logCode, state.logFlag && `${state.logFlag} flag`].filter(Boolean).join(' with ')} request. Change the filter, or follow the log to wait for one.`
              : 'The proxy has written nothing yet. Access logging may be off (MeshConfig accessLogFile, or a Telemetry resource), or no request reached the pod.'}
          </p>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <>
          <p className="muted" data-testid="access-log-summary">
            {rows.length} of the last {logs.data?.read ?? 0} lines{filtered ? ' match' : ''}, newest first;
            read at {logs.data ? new Date(logs.data.fetchedAt).toLocaleTimeString() : ''}.
          </p>
          <div className="log-table">
            <DataTable
              label="Access log entries"
              columns={COLUMNS}
              rows={rows}
              rowKey={(row) => String(row.index)}
              testId="access-log-table"
            />
          </div>
        </>
      )}
    </section>
  );
}
