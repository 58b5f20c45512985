/**
 * JSON patches that touch only what changed: the editors send the whole new value of the section
 * they edit (a route's `fault`, a traffic policy's `outlierDetection`), and the patch holds one
 * operation per leaf that differs, so a concurrent edit of a neighbouring field is never undone.
 */

export interface JsonPatchOperation {
  op: 'add' | 'replace' | 'remove' | 'test';
  /** JSON pointer, e.g. `/spec/http/0/fault/abort/percentage/value` */
  path: string;
  value?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Escapes one JSON-pointer segment (`~` and `/`). */
export function pointerSegment(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * Operations that turn `before` (at `path`) into `after`. `undefined` is "absent": a section that
 * disappears is removed, one that appears is added whole; objects on both sides are compared key by
 * key; anything else that differs (numbers, strings, arrays) is replaced.
 */
export function diffPatch(path: string, before: unknown, after: unknown): JsonPatchOperation[] {
  if (after === undefined) return before === undefined ? [] : [{ op: 'remove', path }];
  if (before === undefined) return [{ op: 'add', path, value: after }];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => diffPatch(`${path}/${pointerSegment(key)}`, before[key], after[key]));
  }
  return deepEqual(before, after) ? [] : [{ op: 'replace', path, value: after }];
}

/** A copy of `object` with `key` set to `value`, or without it when `value` is null. */
export function withSection(
  object: Record<string, unknown> | undefined,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const copy = { ...(object ?? {}) };
  if (value === null || value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}
