/**
 * The canvas's two viewport operations: a full layout (only when nothing on screen survived, see
 * sync.ts) and fitting the graph to the view.
 */
import type { Core, NodeSingular } from 'cytoscape';
import { layeredLayout } from './layered-layout';

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
