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

/** Half a node's drawn size, in model units: what a fit keeps clear around node centres. */
const NODE_RADIUS = 16;

export interface Viewport {
  zoom: number;
  pan: Point;
}

/**
 * The viewport that shows every point (a node centre, with room for the node around it) in a
 * canvas of this size: centred, with the fit padding, zoom within the limits.
 */
export function fitViewport(
  points: Iterable<Point>,
  size: { width: number; height: number },
  limits: { minZoom: number; maxZoom: number },
): Viewport | undefined {
  let x1 = Number.POSITIVE_INFINITY;
  let y1 = Number.POSITIVE_INFINITY;
  let x2 = Number.NEGATIVE_INFINITY;
  let y2 = Number.NEGATIVE_INFINITY;
  for (const { x, y } of points) {
    x1 = Math.min(x1, x);
    y1 = Math.min(y1, y);
    x2 = Math.max(x2, x);
    y2 = Math.max(y2, y);
  }
  if (!Number.isFinite(x1) || size.width <= 0 || size.height <= 0) return undefined;
  const spanX = x2 - x1 + 2 * NODE_RADIUS;
  const spanY = y2 - y1 + 2 * NODE_RADIUS;
  const fitted = Math.min((size.width - 2 * FIT_PADDING) / spanX, (size.height - 2 * FIT_PADDING) / spanY);
  const zoom = Math.max(limits.minZoom, Math.min(MAX_FIT_ZOOM, limits.maxZoom, fitted));
  return {
    zoom,
    pan: { x: size.width / 2 - zoom * ((x1 + x2) / 2), y: size.height / 2 - zoom * ((y1 + y2) / 2) },
  };
}

/**
 * Fits the view to the nodes' positions alone, without cytoscape's bounding boxes: on a big
 * graph those need every element styled and its label measured first (most of a first draw's
 * time), while positions are known as soon as the elements are added.
 */
export function fitNodePositions(cy: Core): void {
  const points: Point[] = [];
  for (const node of cy.nodes().toArray()) {
    // Classes, not `visible()`: that would style the node, which this function is here to avoid.
    if (!node.isParent() && !node.hasClass('find-hidden')) points.push(node.position());
  }
  const viewport = fitViewport(
    points,
    { width: cy.width(), height: cy.height() },
    { minZoom: cy.minZoom(), maxZoom: cy.maxZoom() },
  );
  if (viewport) cy.viewport(viewport);
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
