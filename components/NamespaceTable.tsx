import Link from 'next/link';
import { formatAge } from '@/lib/format/age';
import { formatRatio, formatRps } from '@/lib/format/traffic';
import { describeInjection } from '@/lib/namespaces/injection';
import type { SeverityCounts } from '@/lib/types/config';
import type { NamespaceSummary } from '@/lib/types/namespace';
import type { NamespaceOverview } from '@/lib/types/overview';
import type { NamespaceMtls } from '@/lib/types/security';
import { configFindingsColumn } from './config/findingsColumn';
import { type Column, DataTable } from './DataTable';
import { mtlsLockColumn } from './security/mtlsLockColumn';

/** Shown while the overview's numbers load, and where a namespace has none. */
const PENDING = '…';

function overviewColumns(
  overview: ReadonlyMap<string, NamespaceOverview> | undefined,
): Column<NamespaceSummary>[] {
  const of = (ns: NamespaceSummary) => overview?.get(ns.name);
  const count = (read: (entry: NamespaceOverview) => number) => (ns: NamespaceSummary) => {
    const entry = of(ns);
    return entry ? read(entry) : PENDING;
  };
  return [
    {
      id: 'health',
      label: 'Health',
      value: (ns) => of(ns)?.health ?? PENDING,
      render: (ns) => {
        const health = of(ns)?.health;
        return health ? <span className={`badge badge-health-${health}`}>{health}</span> : PENDING;
      },
    },
    {
      id: 'requests',
      label: 'Req/s',
      value: (ns) => {
        const entry = of(ns);
        return entry ? formatRps(entry.requestRate) : PENDING;
      },
    },
    {
      id: 'errors',
      label: 'Errors',
      value: (ns) => {
        const entry = of(ns);
        return entry ? formatRatio(entry.errorRate) : PENDING;
      },
    },
    { id: 'workloads', label: 'Workloads', value: count((entry) => entry.workloads) },
    { id: 'services', label: 'Services', value: count((entry) => entry.services) },
    { id: 'istio', label: 'Istio config', value: count((entry) => entry.istioObjects) },
  ];
}

function namespaceColumns(
  now: number,
  overview: ReadonlyMap<string, NamespaceOverview> | undefined,
  findings: ReadonlyMap<string, SeverityCounts> | undefined,
  mtls?: ReadonlyMap<string, NamespaceMtls>,
): Column<NamespaceSummary>[] {
  return [
    { id: 'name', label: 'Name', value: (ns) => ns.name, isRowHeader: true },
    { id: 'status', label: 'Status', value: (ns) => ns.phase },
    {
      id: 'age',
      label: 'Age',
      value: (ns) => formatAge(ns.createdAt, now),
      render: (ns) =>
        ns.createdAt === null ? (
          'unknown'
        ) : (
          <time dateTime={ns.createdAt} title={ns.createdAt}>
            {formatAge(ns.createdAt, now)}
          </time>
        ),
    },
    {
      id: 'injection',
      label: 'Sidecar injection',
      value: (ns) => describeInjection(ns.injection),
      render: (ns) => (
        <span className={`badge badge-injection-${ns.injection.mode}`}>
          {describeInjection(ns.injection)}
        </span>
      ),
    },
    ...overviewColumns(overview),
    configFindingsColumn(findings),
    mtlsLockColumn(mtls),
    {
      id: 'graph',
      label: 'Graph',
      value: (ns) => ns.name,
      render: (ns) => (
        <Link href={`/graph?namespaces=${encodeURIComponent(ns.name)}&graphType=versionedApp`}>
          Graph<span className="visually-hidden"> of {ns.name}</span>
        </Link>
      ),
    },
  ];
}

export interface NamespaceTableProps {
  namespaces: readonly NamespaceSummary[];
  /** The time ages are counted to (milliseconds since the epoch): when the data was fetched. */
  now: number;
  /** health, traffic and counts per namespace, once loaded */
  overview?: ReadonlyMap<string, NamespaceOverview>;
  /** validation findings per namespace, once loaded */
  findings?: ReadonlyMap<string, SeverityCounts>;
  /** each namespace's mTLS lock, once loaded */
  mtls?: ReadonlyMap<string, NamespaceMtls>;
}

export function NamespaceTable({ namespaces, now, overview, findings, mtls }: NamespaceTableProps) {
  return (
    <DataTable
      label="Namespaces"
      testId="namespaces-table"
      columns={namespaceColumns(now, overview, findings, mtls)}
      rows={namespaces}
      rowKey={(ns) => ns.name}
    />
  );
}
