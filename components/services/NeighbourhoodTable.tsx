import Link from 'next/link';
import { formatMs, formatPercent, formatRatio, formatRps } from '@/lib/format/traffic';
import { nodeHref } from '@/lib/services/href';
import type { GraphNode } from '@/lib/types/graph';
import type { ServiceNeighbourhood } from '@/lib/types/services';
import { type Column, DataTable } from '../DataTable';

function role(node: GraphNode, neighbourhood: ServiceNeighbourhood): string {
  if (node.id === neighbourhood.focus) return 'this service';
  if (neighbourhood.edges.some((edge) => edge.source === node.id && edge.target === neighbourhood.focus))
    return 'caller';
  if (neighbourhood.edges.some((edge) => edge.source === neighbourhood.focus && edge.target === node.id))
    return 'backing workload';
  return 'called';
}

function nodeName(node: GraphNode) {
  const href = nodeHref(node);
  const label = node.namespace === 'unknown' ? node.name : `${node.namespace}/${node.name}`;
  return href ? <Link href={href}>{label}</Link> : label;
}

/** The neighbourhood's nodes and edges as tables: what the canvas draws, for keyboards and tests. */
export function NeighbourhoodTable({ neighbourhood }: { neighbourhood: ServiceNeighbourhood }) {
  const names = new Map(neighbourhood.nodes.map((node) => [node.id, node.name]));
  const nodeColumns: Column<GraphNode>[] = [
    { id: 'name', label: 'Node', isRowHeader: true, value: (node) => node.name, render: nodeName },
    { id: 'kind', label: 'Kind', value: (node) => (node.isGateway ? `${node.kind} (gateway)` : node.kind) },
    { id: 'role', label: 'Role', value: (node) => role(node, neighbourhood) },
    { id: 'in', label: 'Inbound (req/s)', value: (node) => formatRps(node.traffic.inboundRps) },
    { id: 'health', label: 'Health', value: (node) => node.health.status },
  ];
  type Edge = ServiceNeighbourhood['edges'][number];
  const edgeColumns: Column<Edge>[] = [
    { id: 'from', label: 'From', isRowHeader: true, value: (edge) => names.get(edge.source) ?? edge.source },
    { id: 'to', label: 'To', value: (edge) => names.get(edge.target) ?? edge.target },
    { id: 'rps', label: 'Requests (req/s)', value: (edge) => formatRps(edge.rps) },
    { id: 'share', label: '% of source', value: (edge) => formatPercent(edge.percentOfSource) },
    { id: 'errors', label: 'Errors', value: (edge) => formatRatio(edge.errorRate) },
    { id: 'p95', label: 'p95', value: (edge) => formatMs(edge.responseTime?.p95) },
  ];
  return (
    <div className="graph-table">
      <DataTable
        label="Neighbourhood nodes"
        columns={nodeColumns}
        rows={neighbourhood.nodes}
        rowKey={(node) => node.id}
        testId="neighbourhood-nodes"
      />
      <DataTable
        label="Neighbourhood edges"
        columns={edgeColumns}
        rows={neighbourhood.edges}
        rowKey={(edge) => edge.id}
        testId="neighbourhood-edges"
      />
    </div>
  );
}
