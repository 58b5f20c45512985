/**
 * Fault injection, timeout and retries of a VirtualService's HTTP routes: read from the spec, said
 * in words, checked, and turned into a JSON patch that touches only the edited fields.
 */
import type { Json } from '../validation/spec';
import { formatDuration } from './explain';
import { diffPatch, type JsonPatchOperation } from './json-patch';
import { parseDurationMs } from './policy';

export interface FaultDelay {
  /** share of requests delayed, 0–100 */
  percentage?: { value: number };
  fixedDelay?: string;
  [key: string]: unknown;
}

export interface FaultAbort {
  percentage?: { value: number };
  httpStatus?: number;
  [key: string]: unknown;
}

export interface RouteFault {
  delay?: FaultDelay;
  abort?: FaultAbort;
  [key: string]: unknown;
}

export interface RouteRetries {
  attempts?: number;
  perTryTimeout?: string;
  retryOn?: string;
  retryRemoteLocalities?: boolean;
  [key: string]: unknown;
}

/** One HTTP route of a VirtualService with its resilience settings as written. */
export interface RoutePolicy {
  /** index in `spec.http` */
  index: number;
  name: string | null;
  /** the route's match in words (`uri prefix /api`), `every request` without one */
  match: string;
  /** `reviews v1 80 %, reviews v3 20 %` */
  destinations: string;
  fault: RouteFault | null;
  timeout: string | null;
  retries: RouteRetries | null;
  /** the settings in sentences */
  explanation: string[];
}

/** The edit of one route: a section left out is untouched, null removes it. */
export interface RoutePolicyEdit {
  index: number;
  fault?: RouteFault | null;
  timeout?: string | null;
  retries?: RouteRetries | null;
}

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function matchWords(route: Json): string {
  const matches = Array.isArray(route.match) ? route.match : [];
  if (matches.length === 0) return 'every request';
  return matches
    .map((entry) => {
      const match = object(entry) ?? {};
      const parts: string[] = [];
      const uri = object(match.uri);
      if (uri) for (const [kind, value] of Object.entries(uri)) parts.push(`uri ${kind} ${String(value)}`);
      const headers = object(match.headers);
      if (headers) for (const name of Object.keys(headers)) parts.push(`header ${name}`);
      const method = object(match.method);
      if (method) parts.push(`method ${Object.values(method).map(String).join('')}`);
      return parts.length > 0 ? parts.join(' and ') : 'every request';
    })
    .join(' or ');
}

function destinationWords(route: Json): string {
  const entries = Array.isArray(route.route) ? route.route : [];
  return entries
    .map((entry) => {
      const item = object(entry) ?? {};
      const destination = object(item.destination) ?? {};
      const name = [destination.host, destination.subset]
        .filter((part) => typeof part === 'string')
        .join(' ');
      return typeof item.weight === 'number' && entries.length > 1 ? `${name} ${item.weight} %` : name;
    })
    .join(', ');
}

function percentOf(section: { percentage?: { value: number } } | undefined): number {
  // Istio: a fault without percentage applies to every request.
  const value = section?.percentage?.value;
  return typeof value === 'number' ? value : 100;
}

function durationWords(value: string | undefined, fallback: string): string {
  const ms = parseDurationMs(value);
  return ms === undefined ? fallback : formatDuration(ms);
}

/** The route's fault, timeout and retries in sentences. */
export function explainRoutePolicy(policy: Pick<RoutePolicy, 'fault' | 'timeout' | 'retries'>): string[] {
  const sentences: string[] = [];
  const delay = policy.fault?.delay;
  const abort = policy.fault?.abort;
  if (delay)
    sentences.push(
      `Fault injection: ${percentOf(delay)} % of requests are delayed by ${durationWords(delay.fixedDelay, 'an unreadable time')} before they are sent on.`,
    );
  if (abort)
    sentences.push(
      `Fault injection: ${percentOf(abort)} % of requests are answered ${abort.httpStatus ?? 'with an error'} by the caller's proxy without reaching the service (response flag FI).`,
    );
  if (!delay && !abort) sentences.push('No fault injection.');
  sentences.push(
    policy.timeout
      ? `Timeout: the caller's proxy gives up after ${durationWords(policy.timeout, policy.timeout)} and answers 504 (flag UT), retries included.`
      : 'Timeout: none for HTTP routes (Istio disables Envoy’s default of 15 s).',
  );
  const retries = policy.retries;
  if (retries && retries.attempts === 0) sentences.push('Retries: off (attempts 0).');
  else if (retries) {
    const attempts = retries.attempts ?? 2;
    const perTry = retries.perTryTimeout
      ? `, each try up to ${durationWords(retries.perTryTimeout, retries.perTryTimeout)}`
      : '';
    sentences.push(
      `Retries: up to ${attempts} more ${attempts === 1 ? 'try' : 'tries'}${perTry}, on ${retries.retryOn ?? 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes'}.`,
    );
  } else
    sentences.push(
      "Retries: Istio's default, 2 more tries on connect-failure, refused-stream, unavailable, cancelled and retriable status codes (503).",
    );
  return sentences;
}

/** Every HTTP route of a VirtualService spec, with its settings in words. */
export function routePolicies(spec: Json): RoutePolicy[] {
  const http = Array.isArray(spec.http) ? spec.http : [];
  return http.map((entry, index) => {
    const route = object(entry) ?? {};
    const fault = (object(route.fault) as RouteFault | undefined) ?? null;
    const timeout = typeof route.timeout === 'string' ? route.timeout : null;
    const retries = (object(route.retries) as RouteRetries | undefined) ?? null;
    return {
      index,
      name: typeof route.name === 'string' ? route.name : null,
      match: matchWords(route),
      destinations: destinationWords(route),
      fault,
      timeout,
      retries,
      explanation: explainRoutePolicy({ fault, timeout, retries }),
    };
  });
}

const RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'envoy-ratelimited',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

function checkPercent(
  where: string,
  section: { percentage?: { value: number } } | undefined,
  problems: string[],
) {
  const value = section?.percentage?.value;
  if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 100))
    problems.push(`${where}: the percentage must be between 0 and 100.`);
}

function checkDuration(where: string, value: unknown, problems: string[], required: boolean) {
  if (value === undefined) {
    if (required) problems.push(`${where}: a duration is required (e.g. 2s or 500ms).`);
    return;
  }
  const ms = parseDurationMs(value);
  if (ms === undefined)
    problems.push(`${where}: "${String(value)}" is not a duration such as 2s, 500ms or 1m.`);
  else if (ms < 1) problems.push(`${where}: must be at least 1ms.`);
}

/** What is wrong with an edit, in words; empty when it can be applied. */
export function routePolicyProblems(spec: Json, edit: RoutePolicyEdit): string[] {
  const problems: string[] = [];
  const http = Array.isArray(spec.http) ? spec.http : [];
  const where = `Route ${edit.index + 1}`;
  if (!object(http[edit.index]))
    return [`${where} does not exist (the VirtualService has ${http.length} HTTP routes).`];
  const fault = edit.fault;
  if (fault) {
    if (!fault.delay && !fault.abort) problems.push(`${where} fault: give a delay, an abort or both.`);
    if (fault.delay) {
      checkPercent(`${where} delay`, fault.delay, problems);
      checkDuration(`${where} delay fixedDelay`, fault.delay.fixedDelay, problems, true);
    }
    if (fault.abort) {
      checkPercent(`${where} abort`, fault.abort, problems);
      const status = fault.abort.httpStatus;
      const other = fault.abort.grpcStatus ?? fault.abort.http2Error;
      if (status === undefined && other === undefined)
        problems.push(`${where} abort: an HTTP status is required.`);
      if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599))
        problems.push(`${where} abort: the HTTP status must be a whole number from 200 to 599.`);
    }
  }
  if (edit.timeout) checkDuration(`${where} timeout`, edit.timeout, problems, true);
  const retries = edit.retries;
  if (retries) {
    if (retries.attempts !== undefined && !(Number.isInteger(retries.attempts) && retries.attempts >= 0))
      problems.push(`${where} retries: attempts must be a whole number, 0 or more.`);
    if (retries.perTryTimeout !== undefined)
      checkDuration(`${where} retries perTryTimeout`, retries.perTryTimeout, problems, true);
    const unknown = (retries.retryOn ?? '')
      .split(',')
      .map((token) => token.trim())
      .filter((token) => token !== '' && !RETRY_ON.has(token) && !/^\d{3}$/.test(token));
    if (unknown.length > 0)
      problems.push(`${where} retries: retryOn has unknown conditions ${unknown.join(', ')}.`);
    const perTry = parseDurationMs(retries.perTryTimeout);
    const total = parseDurationMs(edit.timeout ?? undefined);
    if (perTry !== undefined && total !== undefined && perTry > total)
      problems.push(
        `${where}: perTryTimeout is longer than the route's timeout, so a retry never gets to run.`,
      );
  }
  return problems;
}

/** Guidance on an edit's values that is worth a second look but not a refusal. */
export function routePolicyGuidance(edit: Pick<RoutePolicyEdit, 'fault' | 'timeout' | 'retries'>): string[] {
  const notes: string[] = [];
  const abort = edit.fault?.abort;
  if (abort && (abort.percentage?.value ?? 100) >= 100)
    notes.push('Every request on this route is aborted: callers see only errors.');
  if (edit.fault && edit.retries && (edit.retries.attempts ?? 2) > 0)
    notes.push(
      'Injected faults are not retried by the caller that injects them, but callers further up may retry.',
    );
  const attempts = edit.retries?.attempts ?? 0;
  const perTry = parseDurationMs(edit.retries?.perTryTimeout);
  const total = parseDurationMs(edit.timeout ?? undefined);
  if (perTry !== undefined && total !== undefined && perTry * (attempts + 1) > total)
    notes.push(
      `${attempts + 1} tries of ${formatDuration(perTry)} do not fit in the ${formatDuration(total)} timeout: the last tries are cut short.`,
    );
  if (attempts > 5) notes.push('More than 5 retries multiplies load on a failing service (a retry storm).');
  return notes;
}

/** The JSON patch of an edit: only the fields of the edited sections that differ. */
export function buildRoutePolicyPatch(spec: Json, edits: readonly RoutePolicyEdit[]): JsonPatchOperation[] {
  const http = Array.isArray(spec.http) ? spec.http : [];
  return edits.flatMap((edit) => {
    const route = object(http[edit.index]) ?? {};
    const base = `/spec/http/${edit.index}`;
    const section = (key: 'fault' | 'timeout' | 'retries') => {
      const value = edit[key];
      if (value === undefined) return [];
      return diffPatch(`${base}/${key}`, route[key], value === null ? undefined : value);
    };
    return [...section('fault'), ...section('timeout'), ...section('retries')];
  });
}
