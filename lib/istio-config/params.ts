/**
 * Query strings of the configuration views, one schema per use: the APIs' (strict: a bad value is
 * a 400 naming it) and the config page's URL state (lenient: a bad value falls back to "all", so
 * an old bookmark still opens).
 */
import { z } from 'zod';
import type { IstioKind } from '../types/mesh-config';
import type { FindingSeverity } from '../types/validation';
import { SEVERITIES } from './counts';
import { ISTIO_KINDS } from './kinds';

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAMESPACES = 500;

const namespaceList = z
  .string()
  .transform((text) => [
    ...new Set(
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    ),
  ])
  .pipe(
    z
      .array(z.string().max(63).regex(NAMESPACE_NAME, 'must be a Kubernetes namespace name'))
      .max(MAX_NAMESPACES, `at most ${MAX_NAMESPACES} namespaces`),
  );

const kindParam = z.enum(ISTIO_KINDS, { error: `must be one of ${ISTIO_KINDS.join(', ')}` });

export type ParseResult<T> = { ok: true; query: T } | { ok: false; problems: string[] };

function parseWith<T>(schema: z.ZodType<T>, raw: Record<string, string | undefined>): ParseResult<T> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, query: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`),
  };
}

export interface ValidationsQuery {
  /** empty = every namespace */
  namespaces: string[];
  /** counts only, no findings */
  summary: boolean;
}

const validationsQuerySchema = z.object({
  namespaces: namespaceList.default([]),
  summary: z.stringbool({ error: 'must be true or false' }).default(false),
});

/** `GET /api/validations?namespaces=a,b&summary=true` */
export function parseValidationsQuery(params: URLSearchParams): ParseResult<ValidationsQuery> {
  return parseWith(validationsQuerySchema, {
    namespaces: params.get('namespaces') ?? undefined,
    summary: params.get('summary') ?? undefined,
  });
}

export interface ConfigListQuery {
  /** empty = every namespace */
  namespaces: string[];
  kind?: IstioKind;
}

const configListQuerySchema = z.object({
  namespaces: namespaceList.default([]),
  kind: kindParam.optional(),
});

/** `GET /api/config?namespace=a,b&kind=VirtualService` */
export function parseConfigListQuery(params: URLSearchParams): ParseResult<ConfigListQuery> {
  const result = parseWith(configListQuerySchema, {
    namespaces: params.get('namespace') ?? undefined,
    kind: params.get('kind') || undefined,
  });
  if (result.ok) return result;
  return {
    ok: false,
    problems: result.problems.map((problem) => problem.replace(/^namespaces:/, 'namespace:')),
  };
}

/** The config page's URL: every filter is "all" when absent or unreadable. */
export interface ConfigPageState {
  kind: IstioKind | '';
  namespace: string;
  severity: FindingSeverity | '';
}

const configPageSchema = z.object({
  kind: z.union([kindParam, z.literal('')]).catch(''),
  namespace: z.union([z.string().max(63).regex(NAMESPACE_NAME), z.literal('')]).catch(''),
  severity: z.union([z.enum(SEVERITIES), z.literal('')]).catch(''),
});

export function parseConfigPageState(params: URLSearchParams): ConfigPageState {
  return configPageSchema.parse({
    kind: params.get('kind') ?? '',
    namespace: params.get('namespace') ?? '',
    severity: params.get('severity') ?? '',
  });
}

/** The page's query string: only the filters that are set. */
export function configPageSearch(state: ConfigPageState): string {
  const params = new URLSearchParams();
  if (state.kind) params.set('kind', state.kind);
  if (state.namespace) params.set('namespace', state.namespace);
  if (state.severity) params.set('severity', state.severity);
  return params.toString();
}

/** The object page's route parameters: a kind we know and Kubernetes names. */
export function parseObjectParams(params: {
  kind: string;
  namespace: string;
  name: string;
}): { ok: true; kind: IstioKind; namespace: string; name: string } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const kind = kindParam.safeParse(params.kind);
  if (!kind.success) problems.push(`kind: must be one of ${ISTIO_KINDS.join(', ')}`);
  if (!NAMESPACE_NAME.test(params.namespace) || params.namespace.length > 63)
    problems.push('namespace: must be a Kubernetes namespace name');
  if (!/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(params.name) || params.name.length > 253)
    problems.push('name: must be a Kubernetes object name');
  if (!kind.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, kind: kind.data, namespace: params.namespace, name: params.name };
}
