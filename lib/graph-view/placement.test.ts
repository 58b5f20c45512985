import { describe, expect, it } from 'vitest';
import { placeNear } from './placement';

const options = { spacing: 100, fallback: { x: 0, y: 0 } };

describe('placeNear', () => {
  it('puts a node one step right of its neighbours when that spot is free', () => {
    expect(
      placeNear(
        [
          { x: 0, y: 0 },
          { x: 0, y: 200 },
        ],
        [
          { x: 0, y: 0 },
          { x: 0, y: 200 },
        ],
        options,
      ),
    ).toEqual({
      x: 100,
      y: 100,
    });
  });

  it('uses the fallback without placed neighbours', () => {
    expect(placeNear([], [], { spacing: 100, fallback: { x: 5, y: 7 } })).toEqual({ x: 5, y: 7 });
  });

  it('never lands on an occupied spot', () => {
    const occupied = [
      { x: 100, y: 0 },
      { x: 0, y: 0 },
      { x: 200, y: 0 },
    ];
    const placed = placeNear([{ x: 0, y: 0 }], occupied, options);
    for (const point of occupied) {
      expect(Math.hypot(point.x - placed.x, point.y - placed.y)).toBeGreaterThanOrEqual(99.999);
    }
  });
});
