/**
 * Brings a live cytoscape instance to a new set of elements without re-creating it, so positions
 * (laid out once, or dragged by the user) survive refreshes: existing elements get their data and
 * classes updated in one batch, gone ones are removed, new nodes are placed next to the
 * neighbours they have on screen. Whether a full layout is needed is the caller's call: only when
 * nothing on screen survived (first load, another graph type).
 */
import type { Core, ElementDefinition, NodeSingular } from 'cytoscape';
import { type Point, placeNear } from './placement';

export interface SyncResult {
  /** nothing that was on screen is still there: lay the whole graph out */
  needsLayout: boolean;
  /** elements added and removed */
  added: number;
  removed: number;
  /** leaf nodes (not boxes) that were on screen and still are */
  keptNodes: number;
  /** leaf nodes added (and placed next to their neighbours) */
  addedNodes: number;
}

export interface SyncOptions {
  /** minimum distance between a new node and any other, in model units */
  spacing: number;
}

/** Data keys cytoscape fixes at creation: never passed to `ele.data()` on update. */
const STRUCTURAL_KEYS = new Set(['id', 'source', 'target', 'parent']);

function mutableData(data: ElementDefinition['data']): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !STRUCTURAL_KEYS.has(key)));
}

function isEdge(element: ElementDefinition): boolean {
  return element.group === 'edges' || ('source' in element.data && 'target' in element.data);
}

function classesOf(element: ElementDefinition): string {
  return typeof element.classes === 'string' ? element.classes : (element.classes ?? []).join(' ');
}

export function syncElements(
  cy: Core,
  elements: readonly ElementDefinition[],
  options: SyncOptions,
): SyncResult {
  const incoming = new Map<string, ElementDefinition>();
  for (const element of elements) if (element.data.id) incoming.set(element.data.id, element);
  const parentIds = new Set(
    elements.flatMap((element) => (typeof element.data.parent === 'string' ? [element.data.parent] : [])),
  );

  let removed = 0;
  let survivors = 0;
  const toAdd: ElementDefinition[] = [];
  cy.batch(() => {
    // Children first leave parents that are going away, so removing a box keeps its nodes.
    for (const node of cy.nodes().toArray()) {
      const parent = node.parent();
      const parentId = parent.nonempty() ? parent.first().id() : undefined;
      if (parentId !== undefined && !incoming.has(parentId) && incoming.has(node.id()))
        node.move({ parent: null });
    }
    const stale = cy.elements().filter((element) => !incoming.has(element.id()));
    removed = stale.length;
    cy.remove(stale);
    for (const element of elements) {
      const id = element.data.id;
      if (id === undefined) continue;
      const existing = cy.getElementById(id);
      if (existing.empty()) {
        toAdd.push(element);
        continue;
      }
      existing.data(mutableData(element.data));
      existing.classes(classesOf(element));
      if (existing.isNode()) {
        const wanted = typeof element.data.parent === 'string' ? element.data.parent : null;
        const parent = existing.parent();
        const current = parent.nonempty() ? parent.first().id() : null;
        if (wanted !== current && (wanted === null || cy.getElementById(wanted).nonempty())) {
          existing.move({ parent: wanted });
        }
        if (!parentIds.has(id)) survivors += 1;
      }
    }
  });

  const newNodes = toAdd.filter((element) => !isEdge(element));
  const newEdges = toAdd.filter(isEdge);
  // Boxes first, so children can name them; they take their place from their children.
  const boxes = newNodes.filter((element) => parentIds.has(element.data.id ?? ''));
  const leaves = newNodes.filter((element) => !parentIds.has(element.data.id ?? ''));
  if (survivors === 0) {
    cy.add([...boxes, ...leaves, ...newEdges]);
    return {
      needsLayout: leaves.length > 0,
      added: toAdd.length,
      removed,
      keptNodes: 0,
      addedNodes: leaves.length,
    };
  }
  cy.add(boxes.map((element) => ({ ...element, group: 'nodes' as const })));
  placeNewNodes(cy, leaves, newEdges, options);
  cy.add(newEdges.map((element) => ({ ...element, group: 'edges' as const })));
  return {
    needsLayout: false,
    added: toAdd.length,
    removed,
    keptNodes: survivors,
    addedNodes: leaves.length,
  };
}

/** Adds new leaf nodes one at a time, each next to the neighbours already placed. */
function placeNewNodes(
  cy: Core,
  leaves: readonly ElementDefinition[],
  newEdges: readonly ElementDefinition[],
  options: SyncOptions,
): void {
  if (leaves.length === 0) return;
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => neighbours.set(a, [...(neighbours.get(a) ?? []), b]);
  for (const edge of newEdges) {
    const { source, target } = edge.data as { source: string; target: string };
    link(source, target);
    link(target, source);
  }
  const occupied: Point[] = cy
    .nodes()
    .filter((node: NodeSingular) => !node.isParent())
    .map((node: NodeSingular) => ({ ...node.position() }));
  const extent = cy.nodes().boundingBox({});
  const fallback = { x: extent.x2 + options.spacing, y: extent.y1 };
  const placed = new Map<string, Point>();
  const positionOf = (id: string): Point | undefined => {
    const known = placed.get(id);
    if (known) return known;
    const node = cy.getElementById(id);
    return node.nonempty() && node.isNode() && !node.isParent() ? { ...node.position() } : undefined;
  };
  // Nodes with a placed neighbour go first; each placement can anchor the next.
  let pending = [...leaves];
  while (pending.length > 0) {
    const ready = pending.filter(
      (element) =>
        (typeof element.data.parent === 'string' &&
          cy.getElementById(element.data.parent).children().nonempty()) ||
        (neighbours.get(element.data.id ?? '') ?? []).some((id) => positionOf(id) !== undefined),
    );
    const batch = ready.length > 0 ? ready : pending.slice(0, 1);
    for (const element of batch) {
      const id = element.data.id ?? '';
      // A node joining an app box goes next to its box mates, so the box grows the least.
      const parent =
        typeof element.data.parent === 'string' ? cy.getElementById(element.data.parent) : undefined;
      const mates = parent?.nonempty() ? parent.children().map((child) => ({ ...child.position() })) : [];
      const anchors =
        mates.length > 0
          ? mates
          : (neighbours.get(id) ?? []).flatMap((other) => {
              const position = positionOf(other);
              return position ? [position] : [];
            });
      const position = placeNear(anchors, occupied, { spacing: options.spacing, fallback });
      placed.set(id, position);
      occupied.push(position);
      cy.add({ ...element, group: 'nodes', position });
    }
    const done = new Set(batch);
    pending = pending.filter((element) => !done.has(element));
  }
}
