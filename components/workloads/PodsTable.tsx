import type { Column } from '@/components/DataTable';
import { DataTable } from '@/components/DataTable';
import type { PodSummary } from '@/lib/types/workloads';

const POD_COLUMNS: readonly Column<PodSummary>[] = [
  { id: 'name', label: 'Pod', isRowHeader: true, value: (pod) => pod.name },
  { id: 'phase', label: 'Phase', value: (pod) => pod.phase },
  { id: 'ready', label: 'Ready', value: (pod) => (pod.ready ? 'yes' : 'no') },
  { id: 'restarts', label: 'Restarts', value: (pod) => pod.restarts },
  { id: 'ip', label: 'IP', value: (pod) => pod.podIP || '–' },
  {
    id: 'sidecar',
    label: 'Sidecar',
    value: (pod) => (pod.injection.injected ? 'injected' : 'missing'),
    render: (pod) => (
      <span className={pod.injection.injected ? undefined : 'text-warning'}>
        {pod.injection.injected ? `injected${pod.proxyVersion ? ` (${pod.proxyVersion})` : ''}` : 'missing'}
      </span>
    ),
  },
  {
    id: 'injection',
    label: 'Why',
    value: (pod) => pod.injection.reason,
    render: (pod) => <span className="injection-reason">{pod.injection.reason}</span>,
  },
  { id: 'containers', label: 'Containers', value: (pod) => pod.containers.join(', ') },
];

/** The workload's pods with phase, restarts and whether (and why) the sidecar is there. */
export function PodsTable({ pods }: { pods: readonly PodSummary[] }) {
  return (
    <DataTable
      label="Pods"
      columns={POD_COLUMNS}
      rows={pods}
      rowKey={(pod) => pod.name}
      testId="pods-table"
    />
  );
}
