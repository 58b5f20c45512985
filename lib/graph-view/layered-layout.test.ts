import { describe, expect, it } from 'vitest';
import { layeredLayout } from './layered-layout';

const gaps = { columnGap: 100, rowGap: 50 };

describe('layeredLayout', () => {
  it('places calls left to right and keeps box mates together', () => {
    const nodes = [
      { id: 'gw' },
      { id: 'svc', parent: 'box' },
      { id: 'v1', parent: 'box' },
      { id: 'v3', parent: 'box' },
      { id: 'ratings' },
    ];
    const edges = [
      ['gw', 'svc'],
      ['svc', 'v1'],
      ['svc', 'v3'],
      ['v3', 'ratings'],
    ] as const;
    const laid = layeredLayout(nodes, edges, gaps);
    expect(laid.get('gw')).toEqual({ x: 0, y: 0 });
    expect(laid.get('svc')).toEqual({ x: 100, y: 0 });
    expect(laid.get('v1')).toEqual({ x: 200, y: -25 });
    expect(laid.get('v3')).toEqual({ x: 200, y: 25 });
    expect(laid.get('ratings')).toEqual({ x: 300, y: 0 });
  });

  it('wraps a crowded layer into columns and sets unconnected nodes apart', () => {
    const fanOut = Array.from({ length: 40 }, (_, index) => `leaf-${String(index).padStart(2, '0')}`);
    const nodes = [{ id: 'root' }, ...fanOut.map((id) => ({ id })), { id: 'alone' }];
    const laid = layeredLayout(
      nodes,
      fanOut.map((id) => ['root', id] as const),
      gaps,
    );
    const columns = new Set(fanOut.map((id) => laid.get(id)?.x));
    expect(columns.size).toBeGreaterThan(1);
    const rightmost = Math.max(...fanOut.map((id) => laid.get(id)?.x ?? 0));
    expect(laid.get('alone')?.x).toBeGreaterThan(rightmost);
    // No two nodes share a place.
    const places = new Set([...laid.values()].map((point) => `${point.x},${point.y}`));
    expect(places.size).toBe(nodes.length);
  });

  it('lays out 5,000 nodes quickly', () => {
    const nodes = Array.from({ length: 5000 }, (_, index) => ({ id: `n${index}` }));
    const edges = nodes.slice(1).map((node, index) => [`n${Math.floor(index / 3)}`, node.id] as const);
    const started = performance.now();
    const laid = layeredLayout(nodes, edges, gaps);
    expect(laid.size).toBe(5000);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
