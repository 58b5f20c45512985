import cytoscape, { type NodeSingular } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { fitViewport, runLayout } from './layout';

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

describe('fitViewport', () => {
  const limits = { minZoom: 0.05, maxZoom: 4 };

  it('centres the points and zooms so they fill the canvas but the padding', () => {
    const viewport = fitViewport(
      [
        { x: 0, y: 0 },
        { x: 1000, y: 500 },
      ],
      { width: 1092, height: 800 },
      limits,
    );
    // 1,000 + 2 × 16 of node across 1,092 − 2 × 30 pixels: zoom 1, the middle (500, 250) at the centre.
    expect(viewport?.zoom).toBeCloseTo(1);
    expect(viewport?.pan.x).toBeCloseTo(546 - 500);
    expect(viewport?.pan.y).toBeCloseTo(400 - 250);
  });

  it('never zooms a small graph in beyond the fit limit nor out beyond the minimum', () => {
    expect(fitViewport([{ x: 5, y: 5 }], { width: 800, height: 600 }, limits)?.zoom).toBe(1.6);
    const far = fitViewport(
      [
        { x: 0, y: 0 },
        { x: 1e7, y: 0 },
      ],
      { width: 800, height: 600 },
      limits,
    );
    expect(far?.zoom).toBe(0.05);
  });

  it('has nothing to fit without points or without a canvas size', () => {
    expect(fitViewport([], { width: 800, height: 600 }, limits)).toBeUndefined();
    expect(fitViewport([{ x: 0, y: 0 }], { width: 0, height: 0 }, limits)).toBeUndefined();
  });
});
