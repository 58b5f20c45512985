import Link from 'next/link';
import { configObjectHref } from '@/lib/istio-config/kinds';
import type { ConfigListItem } from '@/lib/types/config';
import { type Column, DataTable } from '../DataTable';
import { FindingCounts, findingCountsText } from './FindingCounts';

const columns: Column<ConfigListItem>[] = [
  {
    id: 'name',
    label: 'Name',
    value: (item) => item.name,
    isRowHeader: true,
    render: (item) => <Link href={configObjectHref(item)}>{item.name}</Link>,
  },
  { id: 'namespace', label: 'Namespace', value: (item) => item.namespace },
  { id: 'kind', label: 'Kind', value: (item) => item.kind },
  {
    id: 'findings',
    label: 'Findings',
    value: (item) => findingCountsText(item.findings),
    render: (item) => <FindingCounts counts={item.findings} />,
  },
];

/** The Istio objects of the list page, linked to their pages, with their finding counts. */
export function ConfigObjectsTable({ items }: { items: readonly ConfigListItem[] }) {
  return (
    <DataTable
      label="Istio configuration"
      testId="config-table"
      columns={columns}
      rows={items}
      rowKey={(item) => `${item.kind}/${item.namespace}/${item.name}`}
    />
  );
}
