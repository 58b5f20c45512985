import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allTo,
  applyAllTo,
  applyEvenSplit,
  evenSplit,
  largestRemainder,
  moveWeight,
  normalize,
  redistribute,
  resetWeights,
  sum,
  toggleLock,
  totalProblem,
  type WeightState,
  weightProblem,
  weightState,
} from './weights';

/** Integer weights adding up to 100, for 1 to 6 destinations. */
const split = fc
  .array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 6 })
  .map((shares) => normalize(shares));

type Step =
  | { kind: 'move'; index: number; value: number }
  | { kind: 'lock'; index: number }
  | { kind: 'even' }
  | { kind: 'all'; index: number }
  | { kind: 'reset' };

/** What a user can do to a route: drag or type (any number, even out of range), lock, quick actions. */
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      index: fc.nat(7),
      value: fc.oneof(fc.integer({ min: -20, max: 130 }), fc.double({ min: -5, max: 105, noNaN: true })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('lock' as const), index: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('even' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('all' as const), index: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const) }) },
);

function run(state: WeightState, initial: number[], action: Step): WeightState {
  const index = 'index' in action ? action.index % state.weights.length : 0;
  switch (action.kind) {
    case 'move':
      return moveWeight(state, index, action.value);
    case 'lock':
      return toggleLock(state, index);
    case 'even':
      return applyEvenSplit(state);
    case 'all':
      return applyAllTo(state, index);
    case 'reset':
      return resetWeights(state, initial);
  }
}

function isValidSplit(weights: readonly number[]): boolean {
  return weights.every((w) => Number.isInteger(w) && w >= 0 && w <= 100) && sum(weights) === 100;
}

describe('largestRemainder', () => {
  it('gives integers adding up to the total, each within 1 of its exact share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 1000 }),
        (shares, total) => {
          const result = largestRemainder(shares, total);
          expect(sum(result)).toBe(total);
          const shareSum = sum(shares);
          result.forEach((value, index) => {
            expect(Number.isInteger(value)).toBe(true);
            const exact = shareSum > 0 ? ((shares[index] ?? 0) / shareSum) * total : total / shares.length;
            expect(Math.abs(value - exact)).toBeLessThan(1);
          });
        },
      ),
    );
  });

  it('splits evenly when every share is zero, extras to the first', () => {
    expect(largestRemainder([0, 0, 0], 100)).toEqual([34, 33, 33]);
  });
});

describe('redistribute', () => {
  it('gives the rest to the others in proportion', () => {
    expect(redistribute([50, 0, 50], [false, false, false], 0, 80)).toEqual([80, 0, 20]);
    expect(redistribute([40, 40, 20], [false, false, false], 2, 60)).toEqual([20, 20, 60]);
  });

  it('keeps locked weights and clamps the moved one to what they leave', () => {
    expect(redistribute([80, 0, 20], [true, false, false], 1, 20)).toEqual([80, 20, 0]);
    expect(redistribute([80, 0, 20], [true, false, false], 1, 95)).toEqual([80, 20, 0]);
  });

  it('does not move a locked slider, and forces the only unlocked one', () => {
    expect(redistribute([30, 70], [true, false], 0, 10)).toEqual([30, 70]);
    expect(redistribute([30, 60], [true, false], 1, 10)).toEqual([30, 70]);
  });

  it('spreads evenly over others that all had 0', () => {
    expect(redistribute([100, 0, 0], [false, false, false], 0, 40)).toEqual([40, 30, 30]);
  });

  it('property: integers 0–100 adding up to 100, locked kept, moved one at its clamped value', () => {
    fc.assert(
      fc.property(
        split,
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.nat(5),
        fc.integer({ min: -50, max: 150 }),
        (weights, lockBits, rawIndex, value) => {
          const locked = weights.map((_, index) => lockBits[index] ?? false);
          const index = rawIndex % weights.length;
          const result = redistribute(weights, locked, index, value);
          expect(isValidSplit(result)).toBe(true);
          weights.forEach((weight, position) => {
            if (locked[position]) expect(result[position]).toBe(weight);
          });
          if (!locked[index]) {
            const lockedSum = sum(weights.filter((_, p) => p !== index && locked[p]));
            const others = weights.some((_, p) => p !== index && !locked[p]);
            const expected = others ? Math.min(100 - lockedSum, Math.max(0, value)) : 100 - lockedSum;
            expect(result[index]).toBe(expected);
          }
        },
      ),
    );
  });

  it('property: the others keep their order (whoever had more keeps at least as much)', () => {
    fc.assert(
      fc.property(split, fc.nat(5), fc.integer({ min: 0, max: 100 }), (weights, rawIndex, value) => {
        const index = rawIndex % weights.length;
        const result = redistribute(
          weights,
          weights.map(() => false),
          index,
          value,
        );
        for (let a = 0; a < weights.length; a++) {
          for (let b = 0; b < weights.length; b++) {
            if (a === index || b === index) continue;
            if ((weights[a] ?? 0) > (weights[b] ?? 0))
              expect(result[a] ?? 0).toBeGreaterThanOrEqual(result[b] ?? 0);
          }
        }
      }),
    );
  });
});

describe('quick actions', () => {
  it('even split and all-to-one respect locks', () => {
    expect(evenSplit([10, 20, 70], [false, false, false])).toEqual([34, 33, 33]);
    expect(evenSplit([10, 20, 70], [false, false, true])).toEqual([15, 15, 70]);
    expect(allTo([10, 20, 70], [false, false, false], 1)).toEqual([0, 100, 0]);
    expect(allTo([10, 20, 70], [true, false, false], 2)).toEqual([10, 0, 90]);
  });

  it('normalize keeps proportions', () => {
    expect(normalize([30, 30])).toEqual([50, 50]);
    expect(normalize([1, 1, 1])).toEqual([34, 33, 33]);
  });
});

describe('an editing session', () => {
  it('property: any sequence of slider moves, locks and quick actions keeps integers summing to 100', () => {
    fc.assert(
      fc.property(split, fc.array(step, { maxLength: 60 }), (initial, steps) => {
        let state = weightState(initial);
        for (const action of steps) {
          state = run(state, initial, action);
          expect(isValidSplit(state.weights)).toBe(true);
          expect(state.locked).toHaveLength(initial.length);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: from stored weights that do not add up to 100, the first move makes them do', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 6 }),
        fc.nat(5),
        fc.integer({ min: 0, max: 100 }),
        (stored, rawIndex, value) => {
          const state = moveWeight(weightState(stored), rawIndex % stored.length, value);
          expect(isValidSplit(state.weights)).toBe(true);
        },
      ),
    );
  });

  it('one drag redistributes from where it started: up and back restores the others', () => {
    let state = weightState([50, 0, 50]);
    for (const value of [60, 80, 100, 90, 70, 50]) state = moveWeight(state, 0, value);
    expect(state.weights).toEqual([50, 0, 50]);
  });

  it('reaches 80/20/0 from 50/0/50 by moving v1, locking it, moving v2', () => {
    let state = weightState([50, 0, 50]);
    state = moveWeight(state, 0, 80);
    expect(state.weights).toEqual([80, 0, 20]);
    state = toggleLock(state, 0);
    state = moveWeight(state, 1, 20);
    expect(state.weights).toEqual([80, 20, 0]);
  });
});

describe('problems in words', () => {
  it('names bad weights and totals', () => {
    expect(weightProblem(50)).toBeUndefined();
    expect(weightProblem(12.5)).toMatch(/not a whole number/);
    expect(weightProblem(120)).toMatch(/outside 0–100/);
    expect(weightProblem(Number.NaN)).toMatch(/whole number/);
    expect(totalProblem([50, 40])).toBe('The weights add up to 90; they must add up to 100.');
    expect(totalProblem([50, 50])).toBeUndefined();
  });
});
