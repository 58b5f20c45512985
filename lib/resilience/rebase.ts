/**
 * "Re-apply my edits on their version": the user's changes (from what they read to what they
 * typed) replayed on the object as it is now, leaf by leaf, so someone else's change in between
 * is kept. Where both changed the same field differently, it is a conflict, said in words.
 */
import { deepEqual, diffPatch, type JsonPatchOperation } from './json-patch';

function segments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function valueAt(root: unknown, path: string): unknown {
  let current = root;
  for (const key of segments(path)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** One operation applied to a plain-object tree (parents created as needed). */
function applyOperation(root: Record<string, unknown>, operation: JsonPatchOperation): void {
  const keys = segments(operation.path);
  const last = keys.pop();
  if (last === undefined) return;
  let parent: Record<string, unknown> = root;
  for (const key of keys) {
    const next = parent[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      if (operation.op === 'remove') return;
      parent[key] = {};
    }
    parent = parent[key] as Record<string, unknown>;
  }
  if (operation.op === 'remove') delete parent[last];
  else parent[last] = structuredClone(operation.value);
}

const related = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

export interface Rebased<T> {
  value: T;
  /** fields both sides changed differently, e.g. `connectionPool/http/http1MaxPendingRequests` */
  conflicts: string[];
}

/**
 * `read` → `edited` is the user's change, `read` → `current` someone else's; the result is
 * `current` with the user's change on top. Sections are plain JSON objects.
 */
export function rebase<T extends Record<string, unknown>>(read: T, edited: T, current: T): Rebased<T> {
  const mine = diffPatch('', read, edited);
  const theirs = diffPatch('', read, current);
  const conflicts = mine
    .filter((operation) =>
      theirs.some(
        (other) =>
          related(operation.path, other.path) &&
          !deepEqual(valueAt(edited, operation.path), valueAt(current, operation.path)),
      ),
    )
    .map((operation) => operation.path.slice(1));
  const value = structuredClone(current);
  for (const operation of mine) applyOperation(value, operation);
  return { value, conflicts };
}
