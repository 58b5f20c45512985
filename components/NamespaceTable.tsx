import { formatAge } from '@/lib/format/age';
import { describeInjection } from '@/lib/namespaces/injection';
import type { NamespaceSummary } from '@/lib/types/namespace';
import { type Column, DataTable } from './DataTable';

function namespaceColumns(now: number): Column<NamespaceSummary>[] {
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
  ];
}

export interface NamespaceTableProps {
  namespaces: readonly NamespaceSummary[];
  /** The time ages are counted to (milliseconds since the epoch): when the data was fetched. */
  now: number;
}

export function NamespaceTable({ namespaces, now }: NamespaceTableProps) {
  return (
    <DataTable
      label="Namespaces"
      testId="namespaces-table"
      columns={namespaceColumns(now)}
      rows={namespaces}
      rowKey={(ns) => ns.name}
    />
  );
}
