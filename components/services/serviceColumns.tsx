import Link from 'next/link';
import type { Column } from '@/components/DataTable';
import { formatMs, formatRatio, formatRps } from '@/lib/format/traffic';
import { serviceHref } from '@/lib/services/href';
import type { ServiceSummary, SidecarCoverage } from '@/lib/types/services';

const SIDECAR_LABELS: Record<SidecarCoverage, string> = {
  present: 'Present',
  partial: 'Partial',
  missing: 'Missing',
  'no-pods': 'No pods',
};

const HEALTH_ORDER = { failure: 0, degraded: 1, healthy: 2, idle: 3, na: 4 } as const;

/** The services list's columns, as data (STYLE.md): sort values and what each cell shows. */
export const SERVICE_COLUMNS: readonly Column<ServiceSummary>[] = [
  {
    id: 'name',
    label: 'Service',
    isRowHeader: true,
    value: (row) => row.name,
    render: (row) => <Link href={serviceHref(row.namespace, row.name)}>{row.name}</Link>,
  },
  { id: 'namespace', label: 'Namespace', value: (row) => row.namespace },
  {
    id: 'health',
    label: 'Health',
    value: (row) => HEALTH_ORDER[row.health.status],
    render: (row) => (
      <span className={`badge badge-health-${row.health.status}`} title={row.health.reason}>
        {row.health.status === 'na' ? 'n/a' : row.health.status}
      </span>
    ),
  },
  {
    id: 'rps',
    label: 'Requests (req/s)',
    value: (row) => row.traffic.requestRate,
    render: (row) => formatRps(row.traffic.requestRate),
  },
  {
    id: 'errors',
    label: 'Errors',
    value: (row) => row.traffic.errorRate,
    render: (row) => formatRatio(row.traffic.errorRate),
  },
  {
    id: 'p95',
    label: 'p95',
    value: (row) => row.traffic.p95Ms ?? -1,
    render: (row) => formatMs(row.traffic.p95Ms),
  },
  {
    id: 'sidecar',
    label: 'Sidecar',
    value: (row) => SIDECAR_LABELS[row.sidecar],
    render: (row) => (
      <span title={`${row.pods.withSidecar} of ${row.pods.total} running pods have the istio-proxy sidecar`}>
        {SIDECAR_LABELS[row.sidecar]}
        {row.pods.total > 0 && row.sidecar !== 'present'
          ? ` (${row.pods.withSidecar}/${row.pods.total})`
          : ''}
      </span>
    ),
  },
  {
    id: 'config',
    label: 'Istio config',
    value: (row) => row.config.length,
    render: (row) =>
      row.config.length === 0 ? (
        <span className="muted">none</span>
      ) : (
        <span
          title={row.config
            .map((item) => `${item.kind} ${item.namespace}/${item.name}: ${item.reason}`)
            .join('\n')}
        >
          {row.config.map((item) => `${abbreviation(item.kind)} ${item.name}`).join(', ')}
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
        <span>
          {row.findings.error > 0 ? `${row.findings.error} error${row.findings.error === 1 ? '' : 's'}` : ''}
          {row.findings.error > 0 && row.findings.warning > 0 ? ', ' : ''}
          {row.findings.warning > 0
            ? `${row.findings.warning} warning${row.findings.warning === 1 ? '' : 's'}`
            : ''}
        </span>
      ),
  },
];

function abbreviation(kind: string): string {
  switch (kind) {
    case 'VirtualService':
      return 'VS';
    case 'DestinationRule':
      return 'DR';
    case 'Gateway':
      return 'GW';
    case 'ServiceEntry':
      return 'SE';
    default:
      return kind;
  }
}
