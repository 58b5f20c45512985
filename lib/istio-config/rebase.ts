/**
 * Re-applying an edit on top of someone else's change after a conflict: the user's own changes
 * (from the version they read to their draft) replayed onto the current version, so that fields
 * only the other writer changed keep the other writer's values.
 */
import jsonPatch, { type Operation } from 'fast-json-patch';
import { editableView } from './editable';

export type RebaseResult =
  | {
      ok: true;
      /** the editable view with the user's changes replayed on the current version */
      draft: Record<string, unknown>;
      /** JSON pointers both writers changed (the user's value was kept) */
      overlapping: string[];
    }
  | { ok: false; reason: string };

function touched(operations: readonly Operation[]): string[] {
  return operations.map((operation) => operation.path);
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

export function rebaseDraft(
  read: Record<string, unknown>,
  draft: Record<string, unknown>,
  current: Record<string, unknown>,
): RebaseResult {
  const base = editableView(read);
  const mine = jsonPatch.compare(base, draft);
  const theirs = jsonPatch.compare(base, editableView(current));
  const theirPaths = touched(theirs);
  const overlapping = touched(mine).filter((path) => theirPaths.some((other) => overlaps(path, other)));
  try {
    const result = jsonPatch.applyPatch(
      structuredClone(editableView(current)),
      mine,
      true,
      false,
    ).newDocument;
    return { ok: true, draft: result, overlapping };
  } catch (error) {
    return {
      ok: false,
      reason: `your edits no longer fit the current version (${error instanceof Error ? error.message.split('\n')[0] : 'patch failed'})`,
    };
  }
}
