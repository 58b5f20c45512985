import cytoscape, { type NodeSingular } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { runLayout } from './layout';

describe('runLayout', () => {
  it('lays calls out left to right, the same whatever the viewport', () => {
    const elements = [
      { data: { id: 'gw' } },
      { data: { id: 'box' } },
      { data: { id: 'svc', parent: 'box' } },
      { data: { id: 'v1', parent: 'box' } },
      { data: { id: 'v3', parent: 'box' } },
      { data: { id: 'gw-svc', source: 'gw', target: 'svc' } },
      { data: { id: 'svc-v1', source: 'svc', target: 'v1' } },
      { data: { id: 'svc-v3', source: 'svc', target: 'v3' } },
    ];
    const positions = () => {
      const cy = cytoscape({ headless: true, elements });
      runLayout(cy);
      return Object.fromEntries(
        cy
          .nodes()
          .not(':parent')
          .map((node: NodeSingular) => [node.id(), { ...node.position() }]),
      );
    };
    const laid = positions();
    expect(laid.gw?.x).toBeLessThan(laid.svc?.x ?? 0);
    expect(laid.svc?.x).toBeLessThan(laid.v1?.x ?? 0);
    expect(laid.v1?.x).toBeCloseTo(laid.v3?.x ?? 0);
    expect(laid.v1?.y).not.toBeCloseTo(laid.v3?.y ?? 0);
    expect(positions()).toEqual(laid);
  });
});
