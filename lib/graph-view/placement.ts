/**
 * Where a node that appears on a refresh goes, so that nothing already on screen moves: next to
 * the neighbours it has a position for, on the first free spot of a spiral around them.
 */

export interface Point {
  x: number;
  y: number;
}

export interface PlacementOptions {
  /** minimum distance to any placed node, in model units */
  spacing: number;
  /** where to look when the node has no placed neighbour (e.g. the viewport's centre) */
  fallback: Point;
}

function centroid(points: readonly Point[]): Point {
  const sum = points.reduce((acc, point) => ({ x: acc.x + point.x, y: acc.y + point.y }), { x: 0, y: 0 });
  return { x: sum.x / points.length, y: sum.y / points.length };
}

function isFree(candidate: Point, occupied: readonly Point[], spacing: number): boolean {
  const min = spacing * spacing;
  return occupied.every((point) => (point.x - candidate.x) ** 2 + (point.y - candidate.y) ** 2 >= min);
}

/**
 * A free position near `neighbours` (their centroid, nudged one step right, the way traffic
 * flows in a left-to-right layout), else near the fallback.
 */
export function placeNear(
  neighbours: readonly Point[],
  occupied: readonly Point[],
  options: PlacementOptions,
): Point {
  const { spacing } = options;
  const centre =
    neighbours.length > 0
      ? (() => {
          const middle = centroid(neighbours);
          return { x: middle.x + spacing, y: middle.y };
        })()
      : options.fallback;
  if (isFree(centre, occupied, spacing)) return centre;
  // Rings of growing radius, 8 more candidates per ring.
  for (let ring = 1; ring <= 50; ring++) {
    const radius = ring * spacing;
    const steps = 8 * ring;
    for (let step = 0; step < steps; step++) {
      const angle = (2 * Math.PI * step) / steps;
      const candidate = { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
      if (isFree(candidate, occupied, spacing)) return candidate;
    }
  }
  return { x: centre.x, y: centre.y + 51 * spacing };
}
