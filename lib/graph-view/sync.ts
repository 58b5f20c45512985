/**
 * Brings a live cytoscape instance to a new set of elements without re-creating it, so positions
 * (laid out once, or dragged by the user) survive refreshes: existing elements whose data or
 * classes changed get them updated in one batch (an unchanged element is not touched, so
 * cytoscape restyles and redraws only what changed, and a refresh that changes nothing it draws
 * makes no call into it at all), gone ones are removed, new nodes are placed next to the
 * neighbours they have on screen. Whether a full layout is needed is the caller's call: only when
 * nothing on screen survived (first load, another graph type).
 */
import type { CollectionReturnValue, Core, ElementDefinition, NodeSingular } from 'cytoscape';
import { type Point, placeNear } from './placement';

export interface SyncResult {
  /** nothing that was on screen is still there: lay the whole graph out */
  needsLayout: boolean;
  /** nothing on screen survived and the new nodes were added already placed by `placeAll` */
  placedAll: boolean;
  /** elements added, removed, and changed in place (data, classes or parent) */
  added: number;
  removed: number;
  updated: number;
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

/** What sync last gave cytoscape for an element: what the next sync compares against. */
interface Applied {
  data: ElementDefinition['data'];
  classes: string;
  /** a node's compound parent (null for none and for edges) */
  parent: string | null;
}

/**
 * Per cytoscape instance, the definitions sync applied last. Comparing the incoming definitions
 * with these (plain objects) instead of with cytoscape's elements keeps a refresh that changes
 * nothing on screen from calling into cytoscape at all, so it neither restyles nor redraws.
 */
const appliedByCore = new WeakMap<Core, Map<string, Applied>>();

function parentOf(element: ElementDefinition): string | null {
  return !isEdge(element) && typeof element.data.parent === 'string' ? element.data.parent : null;
}

/** The instance's applied definitions; read back from its elements the first time it is synced. */
function appliedOf(cy: Core): Map<string, Applied> {
  const known = appliedByCore.get(cy);
  if (known) return known;
  const applied = new Map<string, Applied>();
  for (const element of cy.elements().toArray()) {
    const parent = element.isNode() ? element.parent() : undefined;
    applied.set(element.id(), {
      data: { ...element.data() },
      classes: element.classes().join(' '),
      parent: parent?.nonempty() ? parent.first().id() : null,
    });
  }
  appliedByCore.set(cy, applied);
  return applied;
}

/** Records definitions cytoscape accepted (an edge whose end is missing is not added). */
function remember(
  applied: Map<string, Applied>,
  added: CollectionReturnValue,
  byId: ReadonlyMap<string, ElementDefinition>,
): void {
  for (const element of added.toArray()) {
    const definition = byId.get(element.id());
    if (definition)
      applied.set(element.id(), {
        data: definition.data,
        classes: classesOf(definition),
        parent: parentOf(definition),
      });
  }
}

export function syncElements(
  cy: Core,
  elements: readonly ElementDefinition[],
  options: SyncOptions,
): SyncResult {
  const incoming = new Map<string, ElementDefinition>();
  for (const element of elements) if (element.data.id) incoming.set(element.data.id, element);
  const parentIds = new Set<string>();
  for (const element of elements) {
    const parent = parentOf(element);
    if (parent !== null) parentIds.add(parent);
  }
  const applied = appliedOf(cy);

  let removed = 0;
  let updated = 0;
  let survivors = 0;
  const toAdd: ElementDefinition[] = [];
  cy.batch(() => {
    // Children first leave parents that are going away, so removing a box keeps its nodes.
    for (const [id, entry] of applied) {
      if (entry.parent !== null && !incoming.has(entry.parent) && incoming.has(id)) {
        cy.getElementById(id).move({ parent: null });
        entry.parent = null;
      }
    }
    const stale = [...applied.keys()].filter((id) => !incoming.has(id));
    removed = stale.length;
    if (stale.length > 0) {
      const gone = cy.collection();
      for (const id of stale) gone.merge(cy.getElementById(id));
      cy.remove(gone);
      for (const id of stale) applied.delete(id);
    }
    for (const element of elements) {
      const id = element.data.id;
      if (id === undefined) continue;
      const before = applied.get(id);
      if (!before) {
        toAdd.push(element);
        continue;
      }
      const edge = isEdge(element);
      const parent = !edge && typeof element.data.parent === 'string' ? element.data.parent : null;
      if (!edge && !parentIds.has(id)) survivors += 1;
      const changes = before.data === element.data ? undefined : dataChanges(before.data, element.data);
      const classes = classesOf(element);
      const classesChanged =
        before.classes !== classes &&
        !sameClasses(
          before.classes.split(' ').filter((name) => name !== ''),
          classes,
        );
      const moved = parent !== before.parent && (parent === null || applied.has(parent));
      if (!changes && !classesChanged && !moved) continue;
      updated += 1;
      const existing = cy.getElementById(id);
      if (changes) {
        if (changes.remove.length > 0) existing.removeData(changes.remove.join(' '));
        if (Object.keys(changes.set).length > 0) existing.data(changes.set);
      }
      if (classesChanged) existing.classes(classes);
      if (moved) existing.move({ parent });
      applied.set(id, { data: element.data, classes, parent: moved ? parent : before.parent });
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
      remember(applied, cy.add([...boxes, ...placed, ...newEdges]), incoming);
    });
    return {
      needsLayout: leaves.length > 0 && !positions,
      placedAll: positions !== undefined,
      added: toAdd.length,
      removed,
      updated,
      keptNodes: 0,
      addedNodes: leaves.length,
    };
  }
  remember(applied, cy.add(boxes.map((element) => ({ ...element, group: 'nodes' as const }))), incoming);
  remember(applied, placeNewNodes(cy, leaves, newEdges, options), incoming);
  remember(applied, cy.add(newEdges.map((element) => ({ ...element, group: 'edges' as const }))), incoming);
  return {
    needsLayout: false,
    placedAll: false,
    added: toAdd.length,
    removed,
    updated,
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
): CollectionReturnValue {
  const added = cy.collection();
  if (leaves.length === 0) return added;
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
      added.merge(cy.add({ ...element, group: 'nodes', position }));
    }
    const done = new Set(batch);
    pending = pending.filter((element) => !done.has(element));
  }
  return added;
}
