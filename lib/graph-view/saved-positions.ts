/**
 * Node positions kept across reloads of one view (graph type and namespaces), so a graph the user
 * arranged comes back as they left it. The canvas stores them in sessionStorage (per tab); this
 * module only names the entry and reads and writes its text, refusing anything malformed.
 */
import type { Point } from './layered-layout';

const PREFIX = 'meshscope:graph-positions:';
/** stored values are rounded to this many model units: enough for a drawing, a third of the text */
const PRECISION = 1;

/** The storage key of a view: its graph type and its namespaces in any order. */
export function positionsKey(graphType: string, namespaces: readonly string[]): string {
  return `${PREFIX}${graphType}:${[...namespaces].sort().join(',')}`;
}

export function serializePositions(positions: ReadonlyMap<string, Point>): string {
  const round = (value: number) => Math.round(value / PRECISION) * PRECISION;
  return JSON.stringify(
    Object.fromEntries([...positions].map(([id, { x, y }]) => [id, [round(x), round(y)]])),
  );
}

/** The positions in a stored text; empty when it is missing or not what `serializePositions` wrote. */
export function parsePositions(text: string | null): Map<string, Point> {
  const positions = new Map<string, Point>();
  if (!text) return positions;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return positions;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return positions;
  for (const [id, value] of Object.entries(parsed)) {
    if (!Array.isArray(value) || value.length !== 2) continue;
    const [x, y] = value as unknown[];
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y))
      positions.set(id, { x, y });
  }
  return positions;
}

/**
 * Where to put the leaves of a graph drawn from scratch: the saved positions when every leaf has
 * one (the same view reloaded), else a fresh layout (`layout`), since a half-saved picture would
 * overlap the new layout's places.
 */
export function restoredOrLaidOut(
  saved: ReadonlyMap<string, Point>,
  leafIds: readonly string[],
  layout: () => Map<string, Point>,
): { positions: Map<string, Point>; restored: boolean } {
  if (leafIds.length > 0 && leafIds.every((id) => saved.has(id))) {
    return { positions: new Map(leafIds.map((id) => [id, saved.get(id) as Point])), restored: true };
  }
  return { positions: layout(), restored: false };
}
