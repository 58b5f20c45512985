/**
 * Where a path lies in YAML text, for the editor's markers: the value of a scalar, else the key
 * that holds the deepest part of the path the text has (a finding about a missing field marks its
 * parent).
 */
import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import type { PathSegment } from './paths';

export interface TextRange {
  /** offset of the first character */
  from: number;
  /** offset after the last character */
  to: number;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end === -1 ? text.length : end;
}

function rangeOf(node: Node | null | undefined): TextRange | undefined {
  const range = node?.range;
  return range ? { from: range[0], to: range[1] } : undefined;
}

/** The range to mark for `segments` in `text`; undefined when the text is not a YAML mapping. */
export function rangeOfPath(text: string, segments: readonly PathSegment[]): TextRange | undefined {
  const document = parseDocument(text, { keepSourceTokens: false });
  let node: unknown = document.contents;
  if (!isMap(node)) return undefined;
  let holder: Node | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      holder = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) break;
      holder = undefined;
      node = item;
    } else {
      break;
    }
  }
  if (isScalar(node)) {
    const range = rangeOf(node);
    // An empty value (`subset:`) has a zero-length range: mark its key instead.
    if (range && range.to > range.from) return range;
  }
  const marked = rangeOf(holder) ?? rangeOf(node as Node);
  if (!marked) return undefined;
  // A whole collection: its first line is enough to point at it.
  return { from: marked.from, to: Math.min(marked.to, lineEnd(text, marked.from)) };
}
