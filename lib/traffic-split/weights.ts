/**
 * Weight math of the traffic-split editor. Weights are integer percents of a route's traffic that
 * add up to 100. Moving one slider gives the rest (what the locked ones do not hold) to the other
 * unlocked destinations in proportion to what they had; rounding uses the largest-remainder
 * method so the integers always add up to 100.
 */

export const TOTAL = 100;

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/**
 * Integers proportional to `shares` that add up to `total` (largest remainder: each gets the floor
 * of its exact share, and the largest fractions get one more; ties go to the earlier entry). All
 * shares zero (or none positive): an even split.
 */
export function largestRemainder(shares: readonly number[], total: number): number[] {
  if (shares.length === 0) return [];
  const positive = shares.map((share) => (Number.isFinite(share) && share > 0 ? share : 0));
  const shareSum = sum(positive);
  const exact =
    shareSum > 0
      ? positive.map((share) => (share / shareSum) * total)
      : positive.map(() => total / positive.length);
  const result = exact.map(Math.floor);
  let left = total - sum(result);
  const order = exact
    .map((value, index) => ({ index, fraction: value - Math.floor(value) }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    result[index] = (result[index] ?? 0) + 1;
    left -= 1;
  }
  return result;
}

function clampInteger(value: number, min: number, max: number): number {
  const rounded = Number.isFinite(value) ? Math.round(value) : min;
  return Math.min(max, Math.max(min, rounded));
}

function lockedTotal(weights: readonly number[], locked: readonly boolean[], except?: number): number {
  return sum(weights.filter((_, index) => index !== except && locked[index] === true));
}

/**
 * `weights` after destination `index` is set to `value`: the value is clamped to what the locked
 * destinations leave (0 to 100 − locked), and the remainder goes to the other unlocked ones in
 * proportion to their weights in `weights` (evenly when they all have 0). A locked `index` does
 * not move. With nothing else unlocked, `index` takes exactly what the locked ones leave.
 */
export function redistribute(
  weights: readonly number[],
  locked: readonly boolean[],
  index: number,
  value: number,
): number[] {
  if (index < 0 || index >= weights.length || locked[index] === true) return [...weights];
  const available = Math.max(0, TOTAL - lockedTotal(weights, locked, index));
  const others = weights.map((_, position) => position).filter((p) => p !== index && locked[p] !== true);
  const result = [...weights];
  if (others.length === 0) {
    result[index] = available;
    return result;
  }
  const moved = clampInteger(value, 0, available);
  result[index] = moved;
  const shares = largestRemainder(
    others.map((position) => weights[position] ?? 0),
    available - moved,
  );
  others.forEach((position, order) => {
    result[position] = shares[order] ?? 0;
  });
  return result;
}

/** Everything the locked destinations leave, split evenly over the unlocked ones. */
export function evenSplit(weights: readonly number[], locked: readonly boolean[]): number[] {
  const unlocked = weights.map((_, index) => index).filter((index) => locked[index] !== true);
  if (unlocked.length === 0) return [...weights];
  const shares = largestRemainder(
    unlocked.map(() => 1),
    Math.max(0, TOTAL - lockedTotal(weights, locked)),
  );
  const result = [...weights];
  unlocked.forEach((index, order) => {
    result[index] = shares[order] ?? 0;
  });
  return result;
}

/** Everything the locked destinations leave to destination `index`, 0 to the other unlocked ones. */
export function allTo(weights: readonly number[], locked: readonly boolean[], index: number): number[] {
  if (index < 0 || index >= weights.length || locked[index] === true) return [...weights];
  const available = Math.max(0, TOTAL - lockedTotal(weights, locked, index));
  return weights.map((weight, position) =>
    position === index ? available : locked[position] === true ? weight : 0,
  );
}

/** Weights scaled to integers adding up to 100, keeping their proportions (all 0: even). */
export function normalize(weights: readonly number[]): number[] {
  return largestRemainder(weights, TOTAL);
}

/** Why a single weight is not acceptable, in words; undefined when it is. */
export function weightProblem(weight: number): string | undefined {
  if (!Number.isFinite(weight)) return 'Enter a whole number from 0 to 100.';
  if (!Number.isInteger(weight)) return `${weight} is not a whole number: use 0 to 100 without decimals.`;
  if (weight < 0 || weight > TOTAL) return `${weight} is outside 0–100.`;
  return undefined;
}

/** Why a route's weights are not acceptable as a whole, in words; undefined when they are. */
export function totalProblem(weights: readonly number[]): string | undefined {
  if (weights.length === 0) return undefined;
  const total = sum(weights);
  if (total === TOTAL) return undefined;
  return `The weights add up to ${total}; they must add up to 100.`;
}

/**
 * One route's weights while being edited. `anchor` holds the weights from when the slider being
 * dragged started to move: every step of one drag redistributes from there, so dragging a slider
 * up and back down gives the others back what they had (rather than what rounding left them).
 */
export interface WeightState {
  weights: number[];
  locked: boolean[];
  anchor?: { index: number; weights: number[] };
}

export function weightState(weights: readonly number[]): WeightState {
  return { weights: [...weights], locked: weights.map(() => false) };
}

/** Destination `index` moved to `value` (a slider step or a typed number). */
export function moveWeight(state: WeightState, index: number, value: number): WeightState {
  const anchor =
    state.anchor !== undefined && state.anchor.index === index
      ? state.anchor
      : { index, weights: [...state.weights] };
  return { ...state, anchor, weights: redistribute(anchor.weights, state.locked, index, value) };
}

export function toggleLock(state: WeightState, index: number): WeightState {
  const locked = state.locked.map((value, position) => (position === index ? !value : value));
  return { weights: [...state.weights], locked };
}

export function applyEvenSplit(state: WeightState): WeightState {
  return { weights: evenSplit(state.weights, state.locked), locked: [...state.locked] };
}

export function applyAllTo(state: WeightState, index: number): WeightState {
  return { weights: allTo(state.weights, state.locked, index), locked: [...state.locked] };
}

/** Back to given weights (the last applied split); locks are kept, the drag anchor dropped. */
export function resetWeights(state: WeightState, weights: readonly number[]): WeightState {
  return { weights: [...weights], locked: weights.map((_, index) => state.locked[index] ?? false) };
}
