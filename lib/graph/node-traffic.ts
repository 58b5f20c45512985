/**
 * A node's request rates: requests per second in and out, and the share of each that failed
 * (5xx, no response, gRPC errors), summed from its edges. A box counts the edges that cross its
 * border (the service -> version edges inside an app box are not the app's inbound traffic twice).
 */
import type { GraphNode, NodeTraffic } from '../types/graph';
import { indexGraph, type WorkingEdge, type WorkingGraph } from './model';
import { errorRps } from './responses';

function sums(
  edges: readonly WorkingEdge[],
  errors: Map<WorkingEdge, number>,
): { rps: number; errors: number } {
  let rps = 0;
  let failed = 0;
  for (const edge of edges) {
    rps += edge.rps;
    failed += errors.get(edge) ?? 0;
  }
  return { rps, errors: failed };
}

function trafficOf(
  inbound: readonly WorkingEdge[],
  outbound: readonly WorkingEdge[],
  errors: Map<WorkingEdge, number>,
): NodeTraffic {
  const into = sums(inbound, errors);
  const out = sums(outbound, errors);
  return {
    inboundRps: into.rps,
    outboundRps: out.rps,
    inboundErrorRate: into.rps > 0 ? into.errors / into.rps : 0,
    outboundErrorRate: out.rps > 0 ? out.errors / out.rps : 0,
  };
}

export function nodeTraffic(graph: WorkingGraph): WorkingGraph {
  const { incoming, outgoing } = indexGraph(graph);
  // Each edge's error rate once: both its nodes read it.
  const errors = new Map(graph.edges.map((edge) => [edge, errorRps(edge.records.requests)]));
  const membersOf = new Map<string, Set<string>>();
  for (const node of graph.nodes) {
    if (!node.parent) continue;
    const members = membersOf.get(node.parent) ?? new Set<string>();
    members.add(node.id);
    membersOf.set(node.parent, members);
  }
  const crossing = (
    node: GraphNode,
    map: Map<string, WorkingEdge[]>,
    otherEnd: (edge: WorkingEdge) => string,
  ) => {
    if (!node.isBox) return map.get(node.id) ?? [];
    const members = membersOf.get(node.id) ?? new Set<string>();
    return [...members].flatMap((member) =>
      (map.get(member) ?? []).filter((edge) => !members.has(otherEnd(edge))),
    );
  };
  for (const node of graph.nodes) {
    node.traffic = trafficOf(
      crossing(node, incoming, (edge) => edge.source),
      crossing(node, outgoing, (edge) => edge.target),
      errors,
    );
  }
  return graph;
}
