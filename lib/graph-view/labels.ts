/**
 * How the table and the side panel name nodes, and grade mTLS.
 */
import type { GraphEdge, GraphNode } from '../types/graph';

/** A node's name in tables and panels: app and version for a versioned-app node (`reviews v3`), else its name. */
export function nodeTitle(node: GraphNode): string {
  if (node.kind === 'app' && node.version && !node.isBox) return `${node.app ?? node.name} ${node.version}`;
  if (node.kind === 'workload') return node.workload ?? node.name;
  return node.name;
}

/** Words a reader of the table sees for a node kind. */
export const NODE_KIND_LABELS: Record<GraphNode['kind'], string> = {
  workload: 'workload',
  app: 'app',
  service: 'service',
  serviceentry: 'service entry',
  unknown: 'unknown',
};

/** mTLS coverage of an edge: all, some or none of its requests. */
export function mtlsLevel(edge: GraphEdge): 'full' | 'partial' | 'none' {
  if (edge.mtlsPercent >= 99.95) return 'full';
  return edge.mtlsPercent > 0 ? 'partial' : 'none';
}
