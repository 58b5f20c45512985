/**
 * Step (i), traffic sources (Kiali's trafficGenerator): a node that sends traffic and receives
 * none in the window is a root (`isRoot`) — the ingress gateway, `unknown` callers, load
 * generators. Idle edges neither make nor spoil a root.
 */
import type { WorkingGraph } from './model';

export function markRoots(graph: WorkingGraph): WorkingGraph {
  const busy = graph.edges.filter((edge) => !edge.isIdle);
  const sends = new Set(busy.map((edge) => edge.source));
  const receives = new Set(busy.map((edge) => edge.target));
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const { isRoot: _previous, ...rest } = node;
      return !node.isBox && sends.has(node.id) && !receives.has(node.id) ? { ...rest, isRoot: true } : rest;
    }),
  };
}
