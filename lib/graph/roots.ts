/**
 * Step (i), traffic sources (Kiali's trafficGenerator): a node that sends traffic and receives
 * none in the window is a root (`isRoot`) — the ingress gateway, `unknown` callers, load
 * generators. Idle edges neither make nor spoil a root.
 */
import type { WorkingGraph } from './model';

export function markRoots(graph: WorkingGraph): WorkingGraph {
  const sends = new Set<string>();
  const receives = new Set<string>();
  for (const edge of graph.edges) {
    if (edge.isIdle) continue;
    sends.add(edge.source);
    receives.add(edge.target);
  }
  for (const node of graph.nodes) {
    if (!node.isBox && sends.has(node.id) && !receives.has(node.id)) node.isRoot = true;
    else if (node.isRoot !== undefined) delete node.isRoot;
  }
  return graph;
}
