import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collapseUnchanged, diffLines, hasChanges } from './line-diff';

describe('diffLines', () => {
  it('marks the changed lines of an object', () => {
    const before = 'spec:\n  route:\n  - weight: 50\n  - weight: 50\n';
    const after = 'spec:\n  route:\n  - weight: 80\n  - weight: 20\n';
    expect(diffLines(before, after).map((line) => `${line.kind[0]} ${line.text}`)).toEqual([
      's spec:',
      's   route:',
      'r   - weight: 50',
      'r   - weight: 50',
      'a   - weight: 80',
      'a   - weight: 20',
    ]);
  });

  it('shows a created object as all added', () => {
    expect(diffLines('', 'a\nb').map((line) => line.kind)).toEqual(['added', 'added']);
    expect(hasChanges(diffLines('a\nb', 'a\nb'))).toBe(false);
  });

  it('property: the old text is the same and removed lines, the new text the same and added ones', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', '  - x', ''), { maxLength: 30 })
      .map((l) => l.join('\n'));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const diff = diffLines(before, after);
        const old = diff.filter((line) => line.kind !== 'added').map((line) => line.text);
        const next = diff.filter((line) => line.kind !== 'removed').map((line) => line.text);
        expect(old.join('\n')).toBe(before === '' ? '' : before.replace(/\n$/, ''));
        expect(next.join('\n')).toBe(after === '' ? '' : after.replace(/\n$/, ''));
      }),
    );
  });
});

describe('collapseUnchanged', () => {
  it('keeps three lines of context around each change and counts what it leaves out', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    const collapsed = collapseUnchanged(diffLines(before, after));
    expect(
      collapsed.map((line) => (line.kind === 'skipped' ? `… ${line.count}` : `${line.kind[0]} ${line.text}`)),
    ).toEqual([
      '… 7',
      's line 7',
      's line 8',
      's line 9',
      'r line 10',
      'a line ten',
      's line 11',
      's line 12',
      's line 13',
      '… 6',
    ]);
    expect(collapseUnchanged(diffLines('a\nb', 'a\nb'))).toHaveLength(2);
  });
});
