/**
 * What the object editor edits and what a save writes. The editor shows apiVersion, kind, the
 * name, namespace, labels and annotations, and the spec; a save writes only the spec, labels and
 * annotations, as a JSON patch of what differs (DESIGN.md §3: touch only what the user changed).
 */
import jsonPatch from 'fast-json-patch';
import { record } from '../validation/spec';
import { toPointer } from './paths';

/** Annotations tools maintain and people should not edit here: hidden in the editor, never patched. */
export const HIDDEN_ANNOTATIONS: readonly string[] = ['kubectl.kubernetes.io/last-applied-configuration'];

export interface ConfigPatchOperation {
  op: 'add' | 'remove' | 'replace';
  /** JSON pointer into the object */
  path: string;
  value?: unknown;
}

type Json = Record<string, unknown>;

function stringMap(value: unknown): Record<string, string> | undefined {
  const source = record(value);
  if (!source) return undefined;
  return Object.fromEntries(
    Object.entries(source).map(([key, item]) => [key, typeof item === 'string' ? item : String(item)]),
  );
}

function visibleAnnotations(value: unknown): Record<string, string> | undefined {
  const annotations = stringMap(value);
  if (!annotations) return undefined;
  return Object.fromEntries(Object.entries(annotations).filter(([key]) => !HIDDEN_ANNOTATIONS.includes(key)));
}

/** The editable view of a stored object, in the order people read it. */
export function editableView(object: Json): Json {
  const metadata = record(object.metadata) ?? {};
  const labels = stringMap(metadata.labels);
  const annotations = visibleAnnotations(metadata.annotations);
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: metadata.name,
      namespace: metadata.namespace,
      ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: record(object.spec) ?? {},
  };
}

/** Operations that turn the stored map into the edited one, key by key (hidden keys kept). */
function mapOperations(
  field: 'labels' | 'annotations',
  stored: Record<string, string> | undefined,
  edited: Record<string, string>,
): ConfigPatchOperation[] {
  const kept = Object.fromEntries(
    Object.entries(stored ?? {}).filter(
      ([key]) => field === 'annotations' && HIDDEN_ANNOTATIONS.includes(key),
    ),
  );
  const target = { ...edited, ...kept };
  const base = `/metadata/${field}`;
  if (stored === undefined) {
    return Object.keys(target).length > 0 ? [{ op: 'add', path: base, value: target }] : [];
  }
  const operations: ConfigPatchOperation[] = [];
  for (const key of Object.keys(stored)) {
    if (!(key in target)) operations.push({ op: 'remove', path: `${base}${toPointer([key])}` });
  }
  for (const [key, value] of Object.entries(target)) {
    if (!(key in stored)) operations.push({ op: 'add', path: `${base}${toPointer([key])}`, value });
    else if (stored[key] !== value)
      operations.push({ op: 'replace', path: `${base}${toPointer([key])}`, value });
  }
  return operations;
}

export type ConfigPatchResult =
  | { ok: true; operations: ConfigPatchOperation[] }
  | { ok: false; problems: string[] };

/**
 * The JSON patch from the stored object to the edited one (its editable view, as the editor
 * sends it): spec, labels and annotations only. Renaming, moving or changing the kind is refused.
 */
export function configPatch(stored: Json, edited: unknown): ConfigPatchResult {
  const draft = record(edited);
  if (!draft) return { ok: false, problems: ['the object must be a YAML mapping'] };
  const storedMetadata = record(stored.metadata) ?? {};
  const draftMetadata = record(draft.metadata) ?? {};
  const problems: string[] = [];
  for (const field of ['apiVersion', 'kind'] as const) {
    if (draft[field] !== stored[field])
      problems.push(`${field}: cannot be changed here (is ${String(stored[field])})`);
  }
  for (const field of ['name', 'namespace'] as const) {
    if (draftMetadata[field] !== storedMetadata[field])
      problems.push(`metadata.${field}: cannot be changed here (is ${String(storedMetadata[field])})`);
  }
  if (draft.spec !== undefined && !record(draft.spec)) problems.push('spec: must be a mapping');
  for (const field of ['labels', 'annotations'] as const) {
    const value = draftMetadata[field];
    if (value === undefined || value === null) continue;
    const map = record(value);
    if (!map) problems.push(`metadata.${field}: must be a mapping`);
    else if (Object.values(map).some((item) => typeof item !== 'string'))
      problems.push(`metadata.${field}: every value must be a string (quote numbers and booleans)`);
  }
  if (problems.length > 0) return { ok: false, problems };

  const storedSpec = record(stored.spec);
  const draftSpec = record(draft.spec) ?? {};
  const specOperations: ConfigPatchOperation[] = storedSpec
    ? jsonPatch
        .compare(storedSpec, draftSpec)
        .map((operation) => ({ ...operation, path: `/spec${operation.path}` }) as ConfigPatchOperation)
    : Object.keys(draftSpec).length > 0
      ? [{ op: 'add', path: '/spec', value: draftSpec }]
      : [];
  return {
    ok: true,
    operations: [
      ...mapOperations('labels', stringMap(storedMetadata.labels), stringMap(draftMetadata.labels) ?? {}),
      ...mapOperations(
        'annotations',
        stringMap(storedMetadata.annotations),
        stringMap(draftMetadata.annotations) ?? {},
      ),
      ...specOperations,
    ],
  };
}
