/**
 * Completion from a CRD's `openAPIV3Schema` (a structural schema, OpenAPI 3.0 flavour): the
 * fields a mapping may have, and the values an enum or boolean may take. Pure: the editor adapts
 * the items to CodeMirror.
 */
import { record } from '../validation/spec';
import type { PathSegment } from './paths';
import type { YamlContext } from './yaml-context';

type Schema = Record<string, unknown>;

export interface SchemaCompletion {
  label: string;
  kind: 'property' | 'value';
  /** the field's type, e.g. `string`, `object`, `integer | string` */
  detail: string;
  /** the schema's description, when it has one */
  info?: string;
  /** the text inserted in place of the typed prefix */
  apply: string;
}

/** Fields the root of an object may have but the editor does not write. */
const ROOT_SKIPPED = new Set(['status']);

/** The alternatives a schema lists (`oneOf`/`anyOf`/`allOf`), whose properties count as its own. */
function variants(schema: Schema): Schema[] {
  const result = [schema];
  for (const keyword of ['allOf', 'oneOf', 'anyOf']) {
    const list = schema[keyword];
    if (Array.isArray(list)) for (const item of list) if (record(item)) result.push(item as Schema);
  }
  return result;
}

function propertiesOf(schema: Schema): Map<string, Schema> {
  const result = new Map<string, Schema>();
  for (const variant of variants(schema)) {
    for (const [name, value] of Object.entries(record(variant.properties) ?? {})) {
      const child = record(value);
      if (child && !result.has(name)) result.set(name, child);
    }
  }
  return result;
}

/** The schema at `path` below `schema`, or undefined where the schema says nothing (free-form). */
export function subschemaAt(schema: Schema, path: readonly PathSegment[]): Schema | undefined {
  let current: Schema | undefined = schema;
  for (const segment of path) {
    if (!current) return undefined;
    if (typeof segment === 'number') {
      current = record(current.items);
    } else {
      current = propertiesOf(current).get(segment) ?? record(current.additionalProperties);
    }
  }
  return current;
}

export function typeOf(schema: Schema): string {
  if (schema['x-kubernetes-int-or-string'] === true) return 'integer | string';
  if (typeof schema.type === 'string') return schema.type;
  if (propertiesOf(schema).size > 0 || record(schema.additionalProperties)) return 'object';
  return 'any';
}

function descriptionOf(schema: Schema): string | undefined {
  return typeof schema.description === 'string' && schema.description !== '' ? schema.description : undefined;
}

function keyApply(name: string, schema: Schema, indent: number): string {
  const type = typeOf(schema);
  if (type === 'object') return `${name}:\n${' '.repeat(indent + 2)}`;
  if (type === 'array') return `${name}:\n${' '.repeat(indent)}- `;
  return `${name}: `;
}

/** What may be written at `context`, filtered by what is typed so far (case-insensitive prefix). */
export function schemaCompletions(schema: Schema, context: YamlContext): SchemaCompletion[] {
  const prefix = context.prefix.toLowerCase();
  const matches = (label: string) => label.toLowerCase().startsWith(prefix);
  if (context.position === 'key') {
    const parent = subschemaAt(schema, context.path);
    if (!parent) return [];
    const taken = new Set(context.siblings);
    return [...propertiesOf(parent).entries()]
      .filter(([name]) => !taken.has(name) && matches(name))
      .filter(([name]) => context.path.length > 0 || !ROOT_SKIPPED.has(name))
      .map(([name, child]) => ({
        label: name,
        kind: 'property' as const,
        detail: typeOf(child),
        ...(descriptionOf(child) ? { info: descriptionOf(child) } : {}),
        apply: keyApply(name, child, context.indent),
      }));
  }
  const field = context.key === undefined ? undefined : subschemaAt(schema, [...context.path, context.key]);
  if (!field) return [];
  const values = Array.isArray(field.enum)
    ? field.enum.filter(
        (value): value is string | number | boolean => value !== null && typeof value !== 'object',
      )
    : typeOf(field) === 'boolean'
      ? [true, false]
      : [];
  return values
    .map((value) => String(value))
    .filter(matches)
    .map((value) => ({ label: value, kind: 'value' as const, detail: typeOf(field), apply: value }));
}
