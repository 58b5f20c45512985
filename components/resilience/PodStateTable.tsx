'use client';

import type { CallerView, HostEjection, PodResilience } from '@/lib/types/resilience';
import { type Column, DataTable } from '../DataTable';
import { clockTime, HOST_STATE_WORDS } from './hostWords';

interface Row {
  pod: PodResilience;
  ejection: HostEjection | null;
  /** `1 of 2 pods ejected, at most 2 (100 %)` in the pod's busiest cluster */
  limit: string;
}

function rowsOf(pods: readonly PodResilience[], callers: readonly CallerView[]): Row[] {
  return pods.map((pod) => {
    let ejection: HostEjection | null = null;
    let limit = '';
    for (const caller of callers)
      for (const cluster of caller.clusters) {
        const host = cluster.hosts.find((candidate) => candidate.pod?.name === pod.pod.name);
        if (!host) continue;
        if (host.ejection && !ejection) ejection = host.ejection;
        if (!limit || host.state === 'ejected')
          limit =
            cluster.maxEjectionPercent === null
              ? `${cluster.ejected} of ${cluster.total} in ${cluster.subset ?? 'the service'}; no outlier detection`
              : `${cluster.ejected} of ${cluster.total} ejected in ${cluster.subset ?? 'the service'}, at most ${cluster.maxEjectable} (maxEjectionPercent ${cluster.maxEjectionPercent} %)${cluster.atEjectionLimit ? ' — at the limit' : ''}`;
      }
    return { pod, ejection, limit };
  });
}

function returnText(ejection: HostEjection | null): string {
  if (!ejection) return '—';
  if (ejection.returnEarliest && ejection.returnLatest)
    return `${clockTime(ejection.returnEarliest)} – ${clockTime(ejection.returnLatest)}`;
  return 'unknown';
}

const columns: Column<Row>[] = [
  { id: 'pod', label: 'Pod', value: (row) => row.pod.pod.name, isRowHeader: true },
  { id: 'subsets', label: 'Subsets', value: (row) => row.pod.subsets.join(', ') || '—' },
  {
    id: 'state',
    label: 'State as its callers see it',
    value: (row) => HOST_STATE_WORDS[row.pod.state],
    render: (row) => (
      <span className={`host-state-${row.pod.state}`} data-testid="pod-state">
        {HOST_STATE_WORDS[row.pod.state]}
      </span>
    ),
  },
  {
    id: 'callers',
    label: 'Ejected by',
    value: (row) => `${row.pod.ejectedBy} of ${row.pod.seenBy} callers`,
  },
  {
    id: 'since',
    label: 'Ejected since',
    value: (row) => (row.ejection ? clockTime(row.ejection.seenAt) : '—'),
    render: (row) =>
      row.ejection ? (
        <span title={row.ejection.note}>
          {row.ejection.after ? `${clockTime(row.ejection.after)} – ` : 'by '}
          {clockTime(row.ejection.seenAt)}
        </span>
      ) : (
        '—'
      ),
  },
  {
    id: 'return',
    label: 'Expected back',
    value: (row) => returnText(row.ejection),
    render: (row) => <span title={row.ejection?.note}>{returnText(row.ejection)}</span>,
  },
  { id: 'limit', label: 'Against maxEjectionPercent', value: (row) => row.limit || '—' },
];

/** Each pod of the service: healthy, ejected or failing, since when and back when. */
export function PodStateTable({
  pods,
  callers,
}: {
  pods: readonly PodResilience[];
  callers: readonly CallerView[];
}) {
  return (
    <DataTable
      label="Pods of the service in their callers' load balancing"
      columns={columns}
      rows={rowsOf(pods, callers)}
      rowKey={(row) => `${row.pod.pod.namespace}/${row.pod.pod.name}`}
      testId="resilience-pods"
    />
  );
}
