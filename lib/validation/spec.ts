/**
 * Readers for specs stored as plain JSON: every Istio spec reaches the checkers as
 * `Record<string, unknown>`, so fields are read defensively (a wrong type reads as absent).
 */

export type Json = Record<string, unknown>;

export function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function records(value: unknown): Json[] {
  return list(value).map((item) => record(item) ?? {});
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function texts(value: unknown): string[] {
  return list(value).filter((item): item is string => typeof item === 'string');
}

export function integer(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** A label map: string values only (numbers and booleans as YAML wrote them are stringified). */
export function labelMap(value: unknown): Record<string, string> {
  const source = record(value);
  const result: Record<string, string> = {};
  if (!source) return result;
  for (const [key, item] of Object.entries(source)) {
    if (typeof item === 'string') result[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') result[key] = String(item);
  }
  return result;
}

/** Reads `a.b.c` from a spec. */
export function at(value: unknown, ...keys: string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    const next = record(current);
    if (!next) return undefined;
    current = next[key];
  }
  return current;
}
