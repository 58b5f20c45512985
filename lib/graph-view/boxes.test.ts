import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../types/graph';
import { withoutBoxes } from './boxes';
import { toCytoscapeElements } from './to-cytoscape';

function node(id: string, extra: Partial<GraphNode> = {}): GraphNode {
  return {
    id,
    kind: 'app',
    namespace: 'default',
    name: 'reviews',
    app: 'reviews',
    badges: [],
    health: { status: 'healthy', errorRate: 0 },
    traffic: { inboundRps: 1, outboundRps: 0, inboundErrorRate: 0, outboundErrorRate: 0 },
    ...extra,
  };
}

describe('withoutBoxes', () => {
  it('drops app boxes and lets their members stand alone, named with app and version', () => {
    const graph = {
      nodes: [
        node('box:default:reviews', { isBox: true }),
        node('v1', { version: 'v1', parent: 'box:default:reviews' }),
        node('other', { name: 'ratings', app: 'ratings', version: 'v1' }),
      ],
      edges: [],
    };
    const flat = withoutBoxes(graph);
    expect(flat.nodes.map((entry) => entry.id)).toEqual(['v1', 'other']);
    expect(flat.nodes.every((entry) => entry.parent === undefined)).toBe(true);
    const labels = toCytoscapeElements(flat).map((element) => element.data.viewLabel);
    expect(labels).toEqual(['reviews v1', 'ratings v1']);
    // The model itself is untouched.
    expect(graph.nodes[1]?.parent).toBe('box:default:reviews');
  });

  it('gives a graph without boxes back as it is', () => {
    const graph = { nodes: [node('a')], edges: [] };
    expect(withoutBoxes(graph)).toBe(graph);
  });
});
