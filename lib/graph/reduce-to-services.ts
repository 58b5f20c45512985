/**
 * The service graph, as Kiali builds it: a workload graph with service nodes, reduced to the
 * services. Service A gets an edge to service B carrying the traffic that A's workloads sent to B;
 * callers that are not behind a service and receive nothing (the ingress gateway, `unknown`) stay,
 * with their edges to services, so the graph still shows where traffic enters.
 */
import type { GraphNode } from '../types/graph';
import { edgeId, indexGraph, mergeRecords, newEdge, type WorkingEdge, type WorkingGraph } from './model';

const isServiceLike = (node: GraphNode | undefined) =>
  node?.kind === 'service' || node?.kind === 'serviceentry';

export function reduceToServices(graph: WorkingGraph): WorkingGraph {
  const { nodes, outgoing, incoming } = indexGraph(graph);
  const kept = graph.nodes.filter((node) => isServiceLike(node) || !incoming.has(node.id));
  const keptIds = new Set(kept.map((node) => node.id));
  const edges = new Map<string, WorkingEdge>();

  // Roots keep their edges to services.
  for (const node of kept) {
    if (isServiceLike(node)) continue;
    for (const edge of outgoing.get(node.id) ?? [])
      if (isServiceLike(nodes.get(edge.target))) edges.set(edge.id, edge);
  }
  // Service -> workload -> service becomes service -> service.
  for (const service of kept) {
    if (!isServiceLike(service)) continue;
    for (const toWorkload of outgoing.get(service.id) ?? []) {
      if (isServiceLike(nodes.get(toWorkload.target))) continue;
      for (const onward of outgoing.get(toWorkload.target) ?? []) {
        if (!isServiceLike(nodes.get(onward.target))) continue;
        const id = edgeId(service.id, onward.target, onward.protocol);
        const existing = edges.get(id);
        edges.set(
          id,
          existing
            ? { ...existing, records: mergeRecords(existing.records, onward.records) }
            : newEdge(service.id, onward.target, onward.protocol, { records: onward.records }),
        );
      }
    }
  }
  const used = [...edges.values()].filter((edge) => keptIds.has(edge.source) && keptIds.has(edge.target));
  const sources = new Set(used.map((edge) => edge.source));
  return {
    ...graph,
    nodes: kept.filter((node) => isServiceLike(node) || sources.has(node.id)),
    edges: used,
  };
}
