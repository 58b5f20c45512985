/**
 * Where the cursor is in block-style YAML, read from indentation so that it works while the text
 * is half typed (and so not valid YAML): the path of the mapping or sequence it is in, and whether
 * it is writing a key or a value. Flow style (`{a: 1}`) is not followed.
 */
import type { PathSegment } from './paths';

export interface YamlContext {
  /** path of the mapping the key belongs to (key position) or of the key whose value is typed */
  path: PathSegment[];
  position: 'key' | 'value';
  /** the key whose value is typed (value position) */
  key?: string;
  /** what is typed so far (the completion replaces it) */
  prefix: string;
  /** offset where the prefix starts */
  from: number;
  /** indentation of the key being typed, in spaces (where a nested block starts) */
  indent: number;
  /** keys already present in the mapping (not offered again) */
  siblings: string[];
}

interface LineShape {
  /** columns of the `- ` markers */
  dashes: number[];
  /** column of the key, or of the content after the markers */
  column: number;
  key?: string;
  /** text after `key:` (trimmed) */
  value: string;
  blank: boolean;
}

const KEY_LINE = /^([^\s#'"{[][^:#]*?|"[^"]*"|'[^']*'):(?:\s+(.*))?$/;

function shape(line: string): LineShape {
  let column = 0;
  const dashes: number[] = [];
  while (column < line.length) {
    if (line[column] === ' ') column += 1;
    else if (line[column] === '-' && (line[column + 1] === ' ' || column + 1 === line.length)) {
      dashes.push(column);
      column += 2;
    } else break;
  }
  const rest = line.slice(Math.min(column, line.length));
  if (rest.trim() === '' || rest.startsWith('#'))
    return { dashes, column, value: '', blank: dashes.length === 0 };
  const match = KEY_LINE.exec(rest.replace(/\s+#.*$/, ''));
  if (!match) return { dashes, column, value: rest.trim(), blank: false };
  const key = (match[1] ?? '').trim().replace(/^["']|["']$/g, '');
  return { dashes, column, key, value: (match[2] ?? '').trim(), blank: false };
}

/** A value that opens a nested block (nothing, a block scalar indicator or an anchor). */
function opensBlock(value: string): boolean {
  return value === '' || /^[|>]/.test(value) || /^&\S+$/.test(value);
}

/** Keys of the mapping whose keys sit at `column`, around `lineIndex`. */
function siblingKeys(lines: readonly string[], lineIndex: number, column: number): string[] {
  const keys: string[] = [];
  const visit = (index: number): boolean => {
    const line = shape(lines[index] ?? '');
    if (line.blank) return true;
    const start = line.dashes.length > 0 ? (line.dashes[0] ?? 0) : line.column;
    if (start < column) {
      // the item marker of this mapping: its first key is on the same line
      if (line.column === column && line.key !== undefined) keys.push(line.key);
      return false;
    }
    if (line.column === column && line.dashes.length === 0 && line.key !== undefined) keys.push(line.key);
    return true;
  };
  for (let index = lineIndex - 1; index >= 0 && visit(index); index -= 1);
  for (let index = lineIndex + 1; index < lines.length && visit(index); index += 1);
  return keys;
}

/** The context at `offset` in `text`. */
export function yamlContextAt(text: string, offset: number): YamlContext {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lines = text.split('\n');
  const lineIndex = text.slice(0, lineStart).split('\n').length - 1;
  const before = text.slice(lineStart, offset);
  const current = shape(before);
  const path: PathSegment[] = [];
  let position: 'key' | 'value' = 'key';
  let key: string | undefined;
  let prefix: string;
  let from: number;
  if (current.key !== undefined && /:\s/.test(before.slice(current.column))) {
    position = 'value';
    key = current.key;
    prefix = current.value;
    from = offset - prefix.length;
  } else {
    prefix = before.slice(current.column);
    from = lineStart + current.column;
  }
  const indent = current.column;

  // What the cursor's line belongs to: a mapping at `indent`, inside the items its dashes open.
  let need: { kind: 'key' | 'seq'; column: number } = { kind: 'key', column: indent };
  for (const _dash of current.dashes) path.unshift(0);
  if (current.dashes.length > 0) need = { kind: 'seq', column: current.dashes[0] ?? 0 };

  for (let index = lineIndex - 1; index >= 0; index -= 1) {
    if (need.kind === 'key' && need.column === 0) break;
    const line = shape(lines[index] ?? '');
    if (line.blank || (line.key === undefined && line.dashes.length === 0)) continue;
    const firstDash = line.dashes[0];
    if (need.kind === 'key') {
      if (line.key !== undefined && line.column < need.column && opensBlock(line.value)) {
        path.unshift(line.key);
        need = { kind: 'key', column: line.column };
      } else if (!(line.dashes.length > 0 && line.column === need.column)) {
        continue;
      }
      if (firstDash !== undefined) {
        for (let dash = line.dashes.length - 1; dash >= 0; dash -= 1) path.unshift(0);
        need = { kind: 'seq', column: firstDash };
      }
    } else {
      if (firstDash === need.column) continue; // an earlier item of the same sequence
      if (line.key === undefined || line.column > need.column || !opensBlock(line.value)) continue;
      path.unshift(line.key);
      if (firstDash !== undefined) {
        for (let dash = line.dashes.length - 1; dash >= 0; dash -= 1) path.unshift(0);
        need = { kind: 'seq', column: firstDash };
      } else {
        need = { kind: 'key', column: line.column };
      }
    }
  }
  const siblings =
    position === 'key' ? siblingKeys(lines, lineIndex, indent).filter((sibling) => sibling !== prefix) : [];
  return { path, position, ...(key === undefined ? {} : { key }), prefix, from, indent, siblings };
}
