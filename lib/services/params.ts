/**
 * The services, gateways and service-entries queries: `?namespaces=a,b&duration=60s`. Strict for
 * the API (a bad value is a 400 naming it), lenient for page URLs (a bad value falls back).
 */
import { z } from 'zod';
import {
  DEFAULT_DURATION_SECONDS,
  MAX_DURATION_SECONDS,
  MAX_NAMESPACES,
  MIN_DURATION_SECONDS,
  parseDurationSeconds,
} from '../graph-params';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain (Service names are labels, but be lenient) */
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export type ParseResult<T> = { ok: true; query: T } | { ok: false; problems: string[] };

export interface MeshListQuery {
  /** empty: every namespace */
  namespaces: string[];
  /** rate window in seconds */
  duration: number;
}

const namespace = z.string().max(63).regex(NAMESPACE, 'must be a Kubernetes namespace name');

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
  .pipe(z.array(namespace).max(MAX_NAMESPACES, `at most ${MAX_NAMESPACES} namespaces`));

const duration = z
  .string()
  .transform((text) => parseDurationSeconds(text))
  .pipe(
    z
      .number()
      .refine((value) => Number.isFinite(value), 'must be a duration such as 60s, 5m or 1h')
      .pipe(
        z
          .number()
          .min(MIN_DURATION_SECONDS, `at least ${MIN_DURATION_SECONDS}s`)
          .max(MAX_DURATION_SECONDS, `at most ${MAX_DURATION_SECONDS}s`),
      ),
  );

const listSchema = z.object({
  namespaces: namespaceList.default([]),
  duration: duration.default(DEFAULT_DURATION_SECONDS),
});

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`);
}

/** `?namespaces=a,b&duration=60s` of the list endpoints. */
export function parseMeshListQuery(params: URLSearchParams): ParseResult<MeshListQuery> {
  const result = listSchema.safeParse({
    namespaces: params.get('namespaces') ?? undefined,
    duration: params.get('duration') ?? undefined,
  });
  return result.success
    ? { ok: true, query: result.data }
    : { ok: false, problems: problemsOf(result.error) };
}

export interface ServiceQuery {
  namespace: string;
  name: string;
  duration: number;
}

const serviceSchema = z.object({
  namespace,
  name: z.string().min(1).max(253).regex(NAME, 'must be a Kubernetes object name'),
  duration: duration.default(DEFAULT_DURATION_SECONDS),
});

/** `/api/services/NAMESPACE/NAME?duration=60s`. */
export function parseServiceQuery(
  params: { namespace: string; name: string },
  search: URLSearchParams,
): ParseResult<ServiceQuery> {
  const result = serviceSchema.safeParse({ ...params, duration: search.get('duration') ?? undefined });
  return result.success
    ? { ok: true, query: result.data }
    : { ok: false, problems: problemsOf(result.error) };
}

/** The list pages' URL state: namespaces, a filter text and the window; bad values fall back. */
export interface ListPageState {
  namespaces: string[];
  filter: string;
  duration: number;
}

export function parseListPageState(search: { get(key: string): string | null }): ListPageState {
  const namespaces = namespaceList.safeParse(search.get('namespaces') ?? '');
  const window = duration.safeParse(search.get('duration') ?? '');
  return {
    namespaces: namespaces.success ? namespaces.data : [],
    filter: (search.get('q') ?? '').slice(0, 200),
    duration: window.success ? window.data : DEFAULT_DURATION_SECONDS,
  };
}

/** The list pages' URL from their state (defaults left out, so links stay short). */
export function listPageSearch(state: ListPageState): string {
  const params = new URLSearchParams();
  if (state.namespaces.length > 0) params.set('namespaces', state.namespaces.join(','));
  if (state.filter !== '') params.set('q', state.filter);
  if (state.duration !== DEFAULT_DURATION_SECONDS) params.set('duration', `${state.duration}s`);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
