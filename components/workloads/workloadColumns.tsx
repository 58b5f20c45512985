import Link from 'next/link';
import type { Column } from '@/components/DataTable';
import { formatMs, formatRps } from '@/lib/format/traffic';
import type { WorkloadListItem } from '@/lib/types/workloads';

function workloadHref(row: WorkloadListItem): string {
  return `/workloads/${encodeURIComponent(row.namespace)}/${encodeURIComponent(row.name)}`;
}

const sidecarWords = {
  present: 'present',
  missing: 'missing',
  partial: 'some pods',
  'no-pods': 'no pods',
} as const;

/** Sort order of health: the worst first when sorted descending. */
const healthRank = { failure: 4, degraded: 3, healthy: 2, idle: 1, na: 0 } as const;

/** The workloads table's columns, as data. */
export const WORKLOAD_COLUMNS: readonly Column<WorkloadListItem>[] = [
  {
    id: 'name',
    label: 'Workload',
    isRowHeader: true,
    value: (row) => row.name,
    render: (row) => (
      <Link href={workloadHref(row)} data-testid={`workload-link-${row.namespace}-${row.name}`}>
        {row.name}
      </Link>
    ),
  },
  { id: 'namespace', label: 'Namespace', value: (row) => row.namespace },
  { id: 'kind', label: 'Kind', value: (row) => row.kind },
  {
    id: 'health',
    label: 'Health',
    value: (row) => healthRank[row.health],
    render: (row) => (
      <span className={`badge badge-health-${row.health}`} title={row.healthReason ?? row.health}>
        {row.health}
      </span>
    ),
  },
  {
    id: 'pods',
    label: 'Pods',
    value: (row) => row.readyReplicas,
    render: (row) => `${row.readyReplicas}/${row.desiredReplicas}`,
  },
  {
    id: 'sidecar',
    label: 'Sidecar',
    value: (row) => row.sidecar,
    render: (row) => (
      <span className={row.sidecar === 'present' ? undefined : 'text-warning'}>
        {sidecarWords[row.sidecar]}
      </span>
    ),
  },
  {
    id: 'rps',
    label: 'Inbound req/s',
    value: (row) => row.requestRate ?? -1,
    render: (row) => (row.requestRate === null ? 'n/a' : formatRps(row.requestRate)),
  },
  {
    id: 'errors',
    label: 'Errors',
    value: (row) => row.errorRate ?? -1,
    render: (row) => (row.errorRate === null ? '–' : `${(row.errorRate * 100).toFixed(1)} %`),
  },
  {
    id: 'p95',
    label: 'p95',
    value: (row) => row.p95 ?? -1,
    render: (row) => (row.p95 === null ? '–' : formatMs(row.p95)),
  },
  {
    id: 'config',
    label: 'Istio config',
    value: (row) => row.istioConfig.length,
    render: (row) =>
      row.istioConfig.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        <span
          title={row.istioConfig
            .map((object) => `${object.kind} ${object.namespace}/${object.name} (${object.via})`)
            .join('\n')}
        >
          {row.istioConfig.map((object) => `${object.kind.replace(/[a-z]/g, '')} ${object.name}`).join(', ')}
        </span>
      ),
  },
  {
    id: 'findings',
    label: 'Findings',
    value: (row) => row.findings.error * 1000 + row.findings.warning,
    render: (row) =>
      row.findings.error + row.findings.warning === 0 ? (
        <span className="muted">0</span>
      ) : (
        <Link href={`/config?namespace=${encodeURIComponent(row.namespace)}`}>
          {row.findings.error} errors, {row.findings.warning} warnings
        </Link>
      ),
  },
];
