'use client';

import { useMemo } from 'react';
import { formatMs, formatPercent, formatRatio, formatRps } from '@/lib/format/traffic';
import { badgeNames } from '@/lib/graph-view/badges';
import { NODE_KIND_LABELS, nodeTitle } from '@/lib/graph-view/labels';
import { trippedBreaker } from '@/lib/resilience/graph-ejections';
import type { GraphEdge, GraphNode, GraphResponse } from '@/lib/types/graph';
import type { Column } from '../DataTable';
import { SortableTable } from '../SortableTable';

export interface GraphTableProps {
  graph: GraphResponse;
  /** ids removed by the hide expression */
  hidden: ReadonlySet<string>;
  /** ids matched by the find expression */
  found: ReadonlySet<string>;
  selectedId: string;
  onSelect: (id: string) => void;
}

/**
 * Thousands of nodes (a 5,000-service mesh) are drawn a screenful at a time; below the threshold
 * every row is in the page (what small meshes and the tests read).
 */
const VIRTUAL_ROWS = { threshold: 300, rowHeight: 33, maxHeight: 640 };

function flagsText(flags: Record<string, number>): string {
  return Object.keys(flags).sort().join(', ');
}

function nodeColumns(onSelect: (id: string) => void): Column<GraphNode>[] {
  return [
    {
      id: 'name',
      label: 'Name',
      value: nodeTitle,
      isRowHeader: true,
      render: (node) => (
        <button type="button" className="link-button" onClick={() => onSelect(node.id)}>
          {nodeTitle(node)}
        </button>
      ),
    },
    { id: 'kind', label: 'Kind', value: (node) => NODE_KIND_LABELS[node.kind] },
    { id: 'namespace', label: 'Namespace', value: (node) => node.namespace },
    {
      id: 'inbound',
      label: 'Inbound req/s',
      value: (node) => node.traffic.inboundRps,
      render: (node) => formatRps(node.traffic.inboundRps),
    },
    {
      id: 'outbound',
      label: 'Outbound req/s',
      value: (node) => node.traffic.outboundRps,
      render: (node) => formatRps(node.traffic.outboundRps),
    },
    {
      id: 'errors',
      label: 'Inbound errors',
      value: (node) => node.traffic.inboundErrorRate,
      render: (node) => formatRatio(node.traffic.inboundErrorRate),
    },
    { id: 'health', label: 'Health', value: (node) => (node.isIdle ? 'idle' : node.health.status) },
    { id: 'badges', label: 'Badges', value: (node) => badgeNames(node.badges) },
    { id: 'ejections', label: 'Ejections', value: (node) => node.ejection?.text ?? '' },
  ];
}

function edgeColumns(titleOf: (id: string) => string, onSelect: (id: string) => void): Column<GraphEdge>[] {
  return [
    {
      id: 'edge',
      label: 'Edge',
      value: (edge) => `${titleOf(edge.source)} → ${titleOf(edge.target)}`,
      isRowHeader: true,
      render: (edge) => (
        <button type="button" className="link-button" onClick={() => onSelect(edge.id)}>
          {`${titleOf(edge.source)} → ${titleOf(edge.target)}`}
        </button>
      ),
    },
    { id: 'protocol', label: 'Protocol', value: (edge) => edge.protocol },
    { id: 'rps', label: 'Req/s', value: (edge) => edge.rps, render: (edge) => formatRps(edge.rps) },
    {
      id: 'percent',
      label: '% of source',
      value: (edge) => edge.percentOfSource,
      render: (edge) => formatPercent(edge.percentOfSource),
    },
    {
      id: 'errors',
      label: 'Errors',
      value: (edge) => edge.errorRate,
      render: (edge) => formatRatio(edge.errorRate),
    },
    {
      id: 'p50',
      label: 'p50',
      value: (edge) => edge.responseTime?.p50 ?? -1,
      render: (edge) => formatMs(edge.responseTime?.p50),
    },
    {
      id: 'p95',
      label: 'p95',
      value: (edge) => edge.responseTime?.p95 ?? -1,
      render: (edge) => formatMs(edge.responseTime?.p95),
    },
    {
      id: 'p99',
      label: 'p99',
      value: (edge) => edge.responseTime?.p99 ?? -1,
      render: (edge) => formatMs(edge.responseTime?.p99),
    },
    {
      id: 'mtls',
      label: 'mTLS',
      value: (edge) => edge.mtlsPercent,
      render: (edge) => formatPercent(edge.mtlsPercent),
    },
    { id: 'flags', label: 'Response flags', value: (edge) => flagsText(edge.responseFlags) },
    { id: 'breaker', label: 'Breaker', value: (edge) => (trippedBreaker(edge) ? 'tripped' : '') },
    { id: 'authz', label: 'Denied by', value: (edge) => deniedBy(edge) },
    { id: 'health', label: 'Health', value: (edge) => (edge.isIdle ? 'idle' : edge.health) },
  ];
}

/**
 * The graph as two tables, nodes and edges, with the numbers the canvas shows: the accessible
 * view, and the one tests read. Hidden elements are left out; found ones are marked.
 */
export function GraphTable({ graph, hidden, found, selectedId, onSelect }: GraphTableProps) {
  // Nodes from namespaces that were not asked for say where they live.
  const titles = useMemo(() => {
    const asked = new Set(graph.namespaces);
    return new Map(
      graph.nodes.map((node) => [
        node.id,
        asked.has(node.namespace) || node.kind === 'unknown'
          ? nodeTitle(node)
          : `${nodeTitle(node)} (${node.namespace})`,
      ]),
    );
  }, [graph.nodes, graph.namespaces]);
  const nodes = graph.nodes.filter((node) => !node.isBox && !hidden.has(node.id));
  const edges = graph.edges.filter((edge) => !hidden.has(edge.id));
  const titleOf = (id: string) => titles.get(id) ?? id;
  const rowState = (row: { id: string }) => ({
    selected: row.id === selectedId,
    highlighted: found.has(row.id),
  });

  return (
    <div className="graph-table">
      <SortableTable
        label={`Nodes (${nodes.length})`}
        testId="graph-nodes-table"
        rowTestId="node-row"
        columns={nodeColumns(onSelect)}
        rows={nodes}
        rowKey={(node) => node.id}
        rowState={rowState}
        initialSort={{ columnId: 'name', direction: 'ascending' }}
        virtual={VIRTUAL_ROWS}
      />
      <SortableTable
        label={`Edges (${edges.length})`}
        testId="graph-edges-table"
        rowTestId="edge-row"
        columns={edgeColumns(titleOf, onSelect)}
        rows={edges}
        rowKey={(edge) => edge.id}
        rowState={rowState}
        initialSort={{ columnId: 'edge', direction: 'ascending' }}
        virtual={VIRTUAL_ROWS}
      />
    </div>
  );
}

/** What configuration says refused an edge's 403s: `DENY AuthorizationPolicy ns/name`, or nothing. */
function deniedBy(edge: GraphEdge): string {
  if (edge.authz?.decision !== 'DENY') return '';
  const policy = edge.authz.policy;
  return policy ? `${policy.kind} ${policy.namespace}/${policy.name}` : 'DENY';
}
