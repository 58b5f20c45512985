/**
 * A line diff of two texts (longest common subsequence), for showing an object before and after a
 * change. Meant for objects of a few hundred lines: past `maxCells` (lines × lines) it gives up on
 * alignment and shows the whole of both.
 */

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
  /** 1-based line number in the old text (same, removed) */
  oldLine?: number;
  /** 1-based line number in the new text (same, added) */
  newLine?: number;
}

function lines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n');
}

export function diffLines(before: string, after: string, maxCells = 4_000_000): DiffLine[] {
  const a = lines(before);
  const b = lines(after);
  if (a.length * b.length > maxCells) {
    return [
      ...a.map((text, i): DiffLine => ({ kind: 'removed', text, oldLine: i + 1 })),
      ...b.map((text, j): DiffLine => ({ kind: 'added', text, newLine: j + 1 })),
    ];
  }
  // lengths[i][j]: length of the LCS of a[i..] and b[j..]
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const result: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      result.push({ kind: 'same', text: a[i] ?? '', oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (
      i < a.length &&
      (j >= b.length || (lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0))
    ) {
      // Removals before additions, as unified diffs show them.
      result.push({ kind: 'removed', text: a[i] ?? '', oldLine: i + 1 });
      i++;
    } else {
      result.push({ kind: 'added', text: b[j] ?? '', newLine: j + 1 });
      j++;
    }
  }
  return result;
}

/** Whether the diff changes anything. */
export function hasChanges(diff: readonly DiffLine[]): boolean {
  return diff.some((line) => line.kind !== 'same');
}

/** A run of unchanged lines left out of a collapsed diff. */
export interface SkippedLines {
  kind: 'skipped';
  count: number;
}

/**
 * The diff with runs of unchanged lines longer than twice `context` cut to `context` lines on each
 * side of a change (as unified diffs show hunks); a diff without changes is returned whole.
 */
export function collapseUnchanged(diff: readonly DiffLine[], context = 3): (DiffLine | SkippedLines)[] {
  if (!hasChanges(diff)) return [...diff];
  const result: (DiffLine | SkippedLines)[] = [];
  let start = 0;
  while (start < diff.length) {
    if (diff[start]?.kind !== 'same') {
      result.push(diff[start] as DiffLine);
      start++;
      continue;
    }
    let end = start;
    while (end < diff.length && diff[end]?.kind === 'same') end++;
    const keepBefore = start === 0 ? 0 : context;
    const keepAfter = end === diff.length ? 0 : context;
    if (end - start > keepBefore + keepAfter) {
      result.push(...diff.slice(start, start + keepBefore));
      result.push({ kind: 'skipped', count: end - start - keepBefore - keepAfter });
      result.push(...diff.slice(end - keepAfter, end));
    } else {
      result.push(...diff.slice(start, end));
    }
    start = end;
  }
  return result;
}
