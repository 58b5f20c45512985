/** The editor's text: an object as block-style YAML, and back, with the positions of syntax errors. */
import { parseDocument, stringify } from 'yaml';
import { editableView } from './editable';
import type { TextRange } from './yaml-ranges';

/** The editable view of a stored object as YAML, long strings never folded. */
export function toYamlText(object: Record<string, unknown>): string {
  return stringify(editableView(object), { lineWidth: 0, aliasDuplicateObjects: false });
}

export type ParsedYaml =
  | { ok: true; value: unknown }
  | { ok: false; errors: (TextRange & { message: string })[] };

/** One YAML document; errors carry where they are (a multi-document text is an error too). */
export function parseYamlText(text: string): ParsedYaml {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((error) => ({
        from: error.pos[0],
        to: Math.max(error.pos[1], error.pos[0] + 1),
        message: error.message.split('\n')[0] ?? error.message,
      })),
    };
  }
  return { ok: true, value: document.toJS() };
}
