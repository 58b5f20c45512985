/**
 * A node's request rates: requests per second in and out, and the share of each that failed
 * (5xx, no response, gRPC errors), summed from its edges. A box counts the edges that cross its
 * border (the service -> version edges inside an app box are not the app's inbound traffic twice).
 */
import type { NodeTraffic } from '../types/graph';
import { indexGraph, type WorkingEdge, type WorkingGraph } from './model';
import { errorRps } from './responses';

/** Rates summed over edges, in the order given (float sums depend on it). */
interface Sums {
  rps: number;
  errors: number;
}

function addEdges(
  sums: Sums,
  edges: readonly WorkingEdge[] | undefined,
  errors: Map<WorkingEdge, number>,
): void {
  if (!edges) return;
  for (const edge of edges) {
    sums.rps += edge.rps;
    sums.errors += errors.get(edge) ?? 0;
  }
}

/** A box's edges that cross its border: its members' edges whose other end is not a member. */
function addCrossing(
  sums: Sums,
  members: ReadonlySet<string>,
  map: Map<string, WorkingEdge[]>,
  inbound: boolean,
  errors: Map<WorkingEdge, number>,
): void {
  for (const member of members) {
    const edges = map.get(member);
    if (!edges) continue;
    for (const edge of edges) {
      if (members.has(inbound ? edge.source : edge.target)) continue;
      sums.rps += edge.rps;
      sums.errors += errors.get(edge) ?? 0;
    }
  }
}

function trafficOf(into: Sums, out: Sums): NodeTraffic {
  return {
    inboundRps: into.rps,
    outboundRps: out.rps,
    inboundErrorRate: into.rps > 0 ? into.errors / into.rps : 0,
    outboundErrorRate: out.rps > 0 ? out.errors / out.rps : 0,
  };
}

const noMembers: ReadonlySet<string> = new Set();

export function nodeTraffic(graph: WorkingGraph): WorkingGraph {
  const { incoming, outgoing } = indexGraph(graph);
  // Each edge's error rate once: both its nodes read it.
  const errors = new Map<WorkingEdge, number>();
  for (const edge of graph.edges) errors.set(edge, errorRps(edge.records.requests));
  const membersOf = new Map<string, Set<string>>();
  for (const node of graph.nodes) {
    if (!node.parent) continue;
    const members = membersOf.get(node.parent);
    if (members) members.add(node.id);
    else membersOf.set(node.parent, new Set([node.id]));
  }
  for (const node of graph.nodes) {
    const into: Sums = { rps: 0, errors: 0 };
    const out: Sums = { rps: 0, errors: 0 };
    if (node.isBox) {
      const members = membersOf.get(node.id) ?? noMembers;
      addCrossing(into, members, incoming, true, errors);
      addCrossing(out, members, outgoing, false, errors);
    } else {
      addEdges(into, incoming.get(node.id), errors);
      addEdges(out, outgoing.get(node.id), errors);
    }
    node.traffic = trafficOf(into, out);
  }
  return graph;
}
