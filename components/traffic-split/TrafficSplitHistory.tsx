'use client';

import type { TrafficSplitHistoryEntry } from '@/lib/types/traffic-split';
import { type Column, DataTable } from '../DataTable';
import { ErrorBanner } from '../ErrorBanner';
import { asApiError, useTrafficSplitHistory } from './useTrafficSplit';

function value(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `/spec/http/0/route/1/weight`: 50 → 80 */
function describeChanges(entry: TrafficSplitHistoryEntry): string {
  return entry.changes
    .map((change) => `${change.path}: ${value(change.before)} → ${value(change.after)}`)
    .join('; ');
}

const columns: Column<TrafficSplitHistoryEntry>[] = [
  {
    id: 'time',
    label: 'When',
    value: (entry) => entry.time,
    render: (entry) => <time dateTime={entry.time}>{new Date(entry.time).toLocaleString()}</time>,
    isRowHeader: true,
  },
  { id: 'actor', label: 'Who', value: (entry) => entry.actor },
  { id: 'result', label: 'Result', value: (entry) => entry.result },
  {
    id: 'version',
    label: 'resourceVersion',
    value: (entry) => `${entry.resourceVersionBefore} → ${entry.resourceVersionAfter ?? '(unchanged)'}`,
  },
  {
    id: 'changes',
    label: 'Before → after',
    value: describeChanges,
    render: (entry) => (
      <>
        <code className="history-changes">{describeChanges(entry)}</code>
        {entry.message && <p className="muted">{entry.message}</p>}
      </>
    ),
  },
];

/** The writes this dashboard made or tried on the VirtualService (its audit records), newest first. */
export function TrafficSplitHistory({ namespace, name }: { namespace: string; name: string }) {
  const query = useTrafficSplitHistory(namespace, name);
  return (
    <section aria-labelledby="history-heading" className="split-history" data-testid="split-history">
      <h2 id="history-heading">History</h2>
      {query.error && (
        <ErrorBanner
          error={asApiError(query.error)}
          retrying={query.isFetching}
          onRetry={() => void query.refetch()}
        />
      )}
      {query.data && query.data.entries.length === 0 && (
        <p className="muted">
          No change made through this dashboard since it started. Changes made elsewhere (kubectl, GitOps) are
          in the cluster's audit log.
        </p>
      )}
      {query.data && query.data.entries.length > 0 && (
        <DataTable
          label="Changes made through Meshscope, newest first"
          columns={columns}
          rows={query.data.entries}
          rowKey={(entry) => `${entry.time}:${entry.resourceVersionBefore}:${entry.result}`}
          testId="history-table"
        />
      )}
    </section>
  );
}
