/**
 * The canvas's viewport operations: a full layout (only when nothing on screen survived, see
 * sync.ts), either of the elements before they are added (`placeElements`, what the canvas does:
 * cytoscape then adds them in place, with no layout pass) or of what is on screen (`runLayout`),
 * and fitting the graph to the view.
 */
import type { Core, ElementDefinition, NodeSingular } from 'cytoscape';
import { layeredLayout, type Point } from './layered-layout';

/** Fitting never zooms in beyond this: a three-node graph should not fill the screen. */
const MAX_FIT_ZOOM = 1.6;
const FIT_PADDING = 30;

export function fitGraph(cy: Core): void {
  cy.fit(undefined, FIT_PADDING);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center();
  }
}

/** Model units between layers (left to right) and between nodes of one layer (top to bottom). */
const LAYER_GAP = 150;
const ROW_GAP = 90;

/** Places every leaf node with the layered layout; boxes follow their members. */
export function runLayout(cy: Core): void {
  const leaves = cy.nodes().not(':parent');
  const positions = layeredLayout(
    leaves.map((node: NodeSingular) => {
      const parent = node.parent();
      return parent.nonempty() ? { id: node.id(), parent: parent.first().id() } : { id: node.id() };
    }),
    cy.edges().map((edge) => [edge.source().id(), edge.target().id()] as const),
    { columnGap: LAYER_GAP, rowGap: ROW_GAP },
  );
  leaves
    .layout({ name: 'preset', positions: Object.fromEntries(positions), fit: false, animate: false })
    .run();
  fitGraph(cy);
}

/**
 * Positions of leaf nodes not yet on screen, from their definitions: the same layered layout as
 * `runLayout`, computed before cytoscape sees them so they are added already in place.
 */
export function placeElements(
  leaves: readonly ElementDefinition[],
  edges: readonly ElementDefinition[],
): Map<string, Point> {
  return layeredLayout(
    leaves.map((node) => {
      const id = node.data.id ?? '';
      return typeof node.data.parent === 'string' ? { id, parent: node.data.parent } : { id };
    }),
    edges.map((edge) => [String(edge.data.source), String(edge.data.target)] as const),
    { columnGap: LAYER_GAP, rowGap: ROW_GAP },
  );
}
