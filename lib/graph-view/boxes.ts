/**
 * App boxes are compound nodes, and cytoscape keeps every compound's bounds up to date as its
 * members are added, styled and drawn: on a 1,000-service mesh (1,000 boxes around 2,000 nodes)
 * they cost more than everything else in a first draw or a refresh (bench/graph-browser.ts). A
 * large graph is therefore drawn without them: members stand alone, labelled with their app and
 * version (`nodeLabel` does that for a versioned node without a parent). The table and the side
 * panel keep the model as it is.
 */
import type { GraphEdge, GraphNode } from '../types/graph';

export function withoutBoxes<Graph extends { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] }>(
  graph: Graph,
): Graph {
  if (!graph.nodes.some((node) => node.isBox)) return graph;
  return {
    ...graph,
    nodes: graph.nodes
      .filter((node) => !node.isBox)
      .map((node) => {
        if (node.parent === undefined) return node;
        const { parent: _parent, ...member } = node;
        return member;
      }),
  };
}
