/**
 * A service's neighbourhood in the graph (lib/graph, with service nodes injected): one hop in and
 * one hop out. From the service node `svc:NAMESPACE:NAME`:
 *
 *     callers  --->  service  --->  the workloads behind it  --->  what those workloads call
 *
 * Only the edges along those hops are kept, so the picture stays small on a busy mesh.
 */
import type { GraphEdge, GraphNode } from '../types/graph';
import type { ServiceNeighbourhood } from '../types/services';

export function serviceNodeId(namespace: string, name: string): string {
  return `svc:${namespace}:${name}`;
}

export function neighbourhood(
  graph: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] },
  focus: string,
): ServiceNeighbourhood {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  if (!byId.has(focus)) return { focus, nodes: [], edges: [] };
  const inbound = graph.edges.filter((edge) => edge.target === focus && edge.source !== focus);
  const backing = graph.edges.filter((edge) => edge.source === focus && edge.target !== focus);
  const backingIds = new Set(backing.map((edge) => edge.target));
  const outbound = graph.edges.filter(
    (edge) => backingIds.has(edge.source) && edge.target !== focus && !backingIds.has(edge.target),
  );
  const edges = [...inbound, ...backing, ...outbound];
  const ids = new Set([focus, ...edges.flatMap((edge) => [edge.source, edge.target])]);
  const nodes = graph.nodes
    .filter((node) => ids.has(node.id) && !node.isBox)
    .map((node) => {
      if (node.parent === undefined || ids.has(node.parent)) return node;
      const { parent: _parent, ...rest } = node;
      return rest;
    });
  return { focus, nodes, edges: [...new Map(edges.map((edge) => [edge.id, edge])).values()] };
}
