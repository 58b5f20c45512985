/**
 * Brings a live cytoscape instance to a new set of elements without re-creating it, so positions
 * (laid out once, or dragged by the user) survive refreshes: existing elements whose data or
 * classes changed get them updated in one batch (an unchanged element is not touched, so
 * cytoscape restyles and redraws only what changed: a refresh where 5 % of the numbers moved
 * costs 5 % of a full update), gone ones are removed, new nodes are placed next to the
 * neighbours they have on screen. Whether a full layout is needed is the caller's call: only when
 * nothing on screen survived (first load, another graph type).
 */
import type { Core, ElementDefinition, NodeSingular } from 'cytoscape';
import { type Point, placeNear } from './placement';

export interface SyncResult {
  /** nothing that was on screen is still there: lay the whole graph out */
  needsLayout: boolean;
  /** nothing on screen survived and the new nodes were added already placed by `placeAll` */
  placedAll: boolean;
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
  /**
   * Positions for a graph drawn from scratch (nothing on screen survived), computed from the
   * definitions: the elements are then added in one call already in place, and no layout has to
   * run over them afterwards (what makes a first draw of thousands of nodes cheaper).
   */
  placeAll?: (
    leaves: readonly ElementDefinition[],
    edges: readonly ElementDefinition[],
  ) => ReadonlyMap<string, Point>;
}

/** Data keys cytoscape fixes at creation: never passed to `ele.data()` on update. */
const STRUCTURAL_KEYS = new Set(['id', 'source', 'target', 'parent']);

/** Whether two data values are the same: primitives by identity, arrays (badges) element-wise. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  // NaN is a number that changed nothing.
  return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
}

/**
 * What to change in an element's data: the keys whose values differ, and the keys it has no more
 * (a `p95` of an edge that lost its durations). Undefined when nothing changed.
 */
function dataChanges(
  current: Record<string, unknown>,
  wanted: ElementDefinition['data'],
): { set: Record<string, unknown>; remove: string[] } | undefined {
  let set: Record<string, unknown> | undefined;
  for (const key in wanted) {
    if (STRUCTURAL_KEYS.has(key)) continue;
    const value = (wanted as Record<string, unknown>)[key];
    if (sameValue(current[key], value)) continue;
    set ??= {};
    set[key] = value;
  }
  let remove: string[] | undefined;
  for (const key in current) {
    if (STRUCTURAL_KEYS.has(key) || key in wanted || current[key] === undefined) continue;
    remove ??= [];
    remove.push(key);
  }
  return set || remove ? { set: set ?? {}, remove: remove ?? [] } : undefined;
}

/** Whether an element's classes are exactly these (order aside). */
function sameClasses(current: readonly string[], wanted: string): boolean {
  const names = wanted.split(' ').filter((name) => name !== '');
  if (names.length !== current.length) return false;
  const have = new Set(current);
  return names.every((name) => have.has(name));
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
      const changes = dataChanges(existing.data() as Record<string, unknown>, element.data);
      if (changes) {
        if (changes.remove.length > 0) existing.removeData(changes.remove.join(' '));
        if (Object.keys(changes.set).length > 0) existing.data(changes.set);
      }
      const classes = classesOf(element);
      if (!sameClasses(existing.classes(), classes)) existing.classes(classes);
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
    const positions = leaves.length > 0 ? options.placeAll?.(leaves, newEdges) : undefined;
    const placed = positions
      ? leaves.map((element) => {
          const position = positions.get(element.data.id ?? '');
          return position ? { ...element, group: 'nodes' as const, position: { ...position } } : element;
        })
      : leaves;
    cy.batch(() => {
      cy.add([...boxes, ...placed, ...newEdges]);
    });
    return {
      needsLayout: leaves.length > 0 && !positions,
      placedAll: positions !== undefined,
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
    placedAll: false,
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
