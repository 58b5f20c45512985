import cytoscape, { type ElementDefinition } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { syncElements } from './sync';

function node(id: string, extra: Record<string, unknown> = {}): ElementDefinition {
  return { group: 'nodes', data: { id, ...extra } };
}

function edge(source: string, target: string): ElementDefinition {
  return { group: 'edges', data: { id: `${source}->${target}`, source, target } };
}

const options = { spacing: 80 };

describe('syncElements', () => {
  it('asks for a layout on the first load only', () => {
    const cy = cytoscape({ headless: true });
    const first = syncElements(cy, [node('a'), node('b'), edge('a', 'b')], options);
    expect(first).toMatchObject({ needsLayout: true, added: 3, removed: 0, addedNodes: 2, keptNodes: 0 });
    const again = syncElements(cy, [node('a'), node('b'), edge('a', 'b')], options);
    expect(again).toMatchObject({ needsLayout: false, added: 0, removed: 0 });
  });

  it('leaves cytoscape alone when nothing it was given changed', () => {
    const cy = cytoscape({ headless: true });
    syncElements(cy, [node('a', { viewLabel: 'a' }), node('b'), edge('a', 'b')], options);
    const events: string[] = [];
    cy.on('data add remove style class', (event) => events.push(event.type));
    const result = syncElements(cy, [node('a', { viewLabel: 'a' }), node('b'), edge('a', 'b')], options);
    expect(result).toMatchObject({ added: 0, removed: 0, updated: 0, keptNodes: 2 });
    expect(events).toEqual([]);
    const changed = syncElements(cy, [node('a', { viewLabel: 'a2' }), node('b'), edge('a', 'b')], options);
    expect(changed).toMatchObject({ added: 0, removed: 0, updated: 1 });
    expect(cy.getElementById('a').data('viewLabel')).toBe('a2');
  });

  it('updates data and classes in place and keeps positions', () => {
    const cy = cytoscape({ headless: true });
    syncElements(cy, [node('a', { rps: 1 }), node('b')], options);
    cy.getElementById('a').position({ x: 10, y: 20 });
    syncElements(cy, [{ ...node('a', { rps: 2 }), classes: 'health-failure' }, node('b')], options);
    const a = cy.getElementById('a');
    expect(a.data('rps')).toBe(2);
    expect(a.hasClass('health-failure')).toBe(true);
    expect(a.position()).toEqual({ x: 10, y: 20 });
  });

  it('places a new node next to its neighbour without moving the others', () => {
    const cy = cytoscape({ headless: true });
    syncElements(cy, [node('a'), node('b'), edge('a', 'b')], options);
    cy.getElementById('a').position({ x: 0, y: 0 });
    cy.getElementById('b').position({ x: 300, y: 0 });
    const result = syncElements(
      cy,
      [node('a'), node('b'), node('c'), edge('a', 'b'), edge('b', 'c')],
      options,
    );
    expect(result).toMatchObject({ needsLayout: false, added: 2, addedNodes: 1, keptNodes: 2 });
    expect(cy.getElementById('a').position()).toEqual({ x: 0, y: 0 });
    expect(cy.getElementById('b').position()).toEqual({ x: 300, y: 0 });
    const c = cy.getElementById('c').position();
    expect(Math.hypot(c.x - 300, c.y)).toBeLessThanOrEqual(80 * 2);
    expect(Math.hypot(c.x - 300, c.y)).toBeGreaterThanOrEqual(79.9);
  });

  it('removes what is gone, keeping children of a removed box', () => {
    const cy = cytoscape({ headless: true });
    syncElements(cy, [node('box'), node('v1', { parent: 'box' }), node('x'), edge('x', 'v1')], options);
    const result = syncElements(cy, [node('v1'), node('x'), edge('x', 'v1')], options);
    expect(result.removed).toBe(1);
    expect(cy.getElementById('v1').nonempty()).toBe(true);
    expect(cy.getElementById('v1').parent().empty()).toBe(true);
  });

  it('lays out again when nothing on screen survives (another graph type)', () => {
    const cy = cytoscape({ headless: true });
    syncElements(cy, [node('a'), node('b')], options);
    const result = syncElements(cy, [node('x'), node('y')], options);
    expect(result).toMatchObject({ needsLayout: true, removed: 2, added: 2 });
  });

  it('puts a node that joins a box next to its box mates', () => {
    const cy = cytoscape({ headless: true });
    const box = node('box');
    syncElements(cy, [box, node('v1', { parent: 'box' }), node('far')], options);
    cy.getElementById('v1').position({ x: 0, y: 0 });
    cy.getElementById('far').position({ x: 1000, y: 1000 });
    syncElements(
      cy,
      [box, node('v1', { parent: 'box' }), node('v2', { parent: 'box' }), node('far')],
      options,
    );
    const v2 = cy.getElementById('v2');
    expect(v2.parent().first().id()).toBe('box');
    expect(Math.hypot(v2.position().x, v2.position().y)).toBeLessThanOrEqual(80 * 2);
  });

  it('touches only the elements whose data or classes changed', () => {
    const cy = cytoscape({ headless: true });
    const graph = (rpsOfB: number, classesOfC: string) => [
      { ...node('a', { rps: 1, badges: ['virtualService'] }), classes: 'kind-app health-healthy' },
      { ...node('b', { rps: rpsOfB, badges: [] }), classes: 'kind-app' },
      { ...node('c', { rps: 3 }), classes: classesOfC },
      edge('a', 'b'),
    ];
    syncElements(cy, graph(2, 'kind-service'), options);
    const touched: string[] = [];
    cy.on('data class', (event) => touched.push(`${event.type}:${event.target.id()}`));
    // The same numbers in fresh objects, classes in another order: nothing to do.
    syncElements(
      cy,
      graph(2, 'kind-service').map((element) =>
        element.data.id === 'a' ? { ...element, classes: 'health-healthy kind-app' } : element,
      ),
      options,
    );
    expect(touched).toEqual([]);
    syncElements(cy, graph(2.5, 'kind-service health-failure'), options);
    expect([...new Set(touched)].sort()).toEqual(['class:c', 'data:b']);
    expect(cy.getElementById('b').data('rps')).toBe(2.5);
    expect(cy.getElementById('c').hasClass('health-failure')).toBe(true);
  });

  it('drops data an element no longer has', () => {
    const cy = cytoscape({ headless: true });
    syncElements(cy, [node('a', { p95: 120, rps: 1 })], options);
    syncElements(cy, [node('a', { rps: 1 })], options);
    expect(cy.getElementById('a').data('p95')).toBeUndefined();
    expect(cy.getElementById('a').data('rps')).toBe(1);
  });

  it('adds a graph drawn from scratch already placed, in one go', () => {
    const cy = cytoscape({ headless: true });
    const added: string[] = [];
    cy.on('add', (event) => added.push(event.target.id()));
    const positions = new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 150, y: 0 }],
    ]);
    const result = syncElements(cy, [node('a'), node('b'), edge('a', 'b')], {
      ...options,
      placeAll: (leaves, edges) => {
        expect(leaves.map((leaf) => leaf.data.id)).toEqual(['a', 'b']);
        expect(edges).toHaveLength(1);
        return positions;
      },
    });
    expect(result).toMatchObject({ needsLayout: false, placedAll: true, addedNodes: 2 });
    expect(cy.getElementById('b').position()).toEqual({ x: 150, y: 0 });
    expect(added).toHaveLength(3);
    // Once something survives, new nodes are placed beside their neighbours instead.
    const next = syncElements(cy, [node('a'), node('b'), node('c'), edge('b', 'c')], {
      ...options,
      placeAll: () => {
        throw new Error('not a graph from scratch');
      },
    });
    expect(next).toMatchObject({ placedAll: false, keptNodes: 2, addedNodes: 1 });
  });
});
