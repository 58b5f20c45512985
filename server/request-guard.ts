import 'server-only';
import type { Caller } from './auth/caller';
import { csrfTokenFor } from './auth/csrf';
import { getAuthSettings } from './auth/settings';
import { AppError } from './errors';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The Host the request was sent to (a handler called directly has only its URL). */
export function requestHost(request: Request): string {
  return (request.headers.get('host') ?? new URL(request.url).host).toLowerCase();
}

/**
 * DNS rebinding guard: a page on `evil.example` that re-points its name at 127.0.0.1 reaches us
 * with `Host: evil.example`. Accepted: loopback names (on the launcher's port in local mode, when
 * it set one) and the names in MESHSCOPE_ALLOWED_HOSTS (`name` or `name:port`).
 */
export function isAllowedHost(host: string): boolean {
  const settings = getAuthSettings();
  const lower = host.toLowerCase();
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(lower);
  if (!match?.[1]) return false;
  const name = match[1];
  const port = match[2];
  if (settings.allowedHosts.includes(lower) || settings.allowedHosts.includes(name)) return true;
  if (!LOOPBACK_NAMES.has(name)) return false;
  return settings.mode !== 'local' || settings.port === undefined || port === String(settings.port);
}

export function assertAllowedHost(request: Request): void {
  if (!isAllowedHost(requestHost(request))) {
    throw new AppError(
      'forbidden:host',
      'This host name is not one the dashboard answers to (add it with MESHSCOPE_ALLOWED_HOSTS).',
    );
  }
}

/**
 * The CSRF check of a write from a browser: the `x-csrf-token` header must carry the token bound
 * to the caller's session (the page reads it from the `meshscope-csrf-PORT` cookie), which a
 * foreign page can neither read nor guess. Scripts that send their own bearer token are exempt
 * (browsers never attach one by themselves) except behind a proxy that adds credentials for them.
 */
export function assertCsrfToken(request: Request, caller: Caller): void {
  if (caller.via === 'bearer') return;
  const sent = request.headers.get('x-csrf-token') ?? '';
  if (sent === '' || !csrfTokenFor(caller.sessionKey, sent)) {
    throw new AppError(
      'forbidden:csrf',
      "The change lacks the page's CSRF token; reload the page and try again.",
    );
  }
}

/**
 * A write must come from the dashboard's own pages: a JSON body (which a cross-site form or a
 * "simple" cross-origin fetch cannot send without a CORS preflight, which we never grant) and, when
 * the browser names an Origin, the dashboard's own host. A first line against cross-site request
 * forgery until sessions and CSRF tokens exist (research/reliability-security.md, S2).
 */
export function assertSameOriginJson(request: Request): void {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError('invalid:content-type', 'Send the change as JSON (Content-Type: application/json).');
  }
  const origin = request.headers.get('origin');
  if (origin === null) return;
  const hosts = [request.headers.get('x-forwarded-host'), request.headers.get('host')].filter(
    (host): host is string => host !== null && host !== '',
  );
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = undefined;
  }
  if (originHost === undefined || !hosts.includes(originHost)) {
    throw new AppError('forbidden:origin', "Changes are accepted only from the dashboard's own pages.");
  }
}

/** The request's JSON body; a body that is not JSON is the caller's mistake (400). */
export async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch (error) {
    throw new AppError('invalid', 'The request body is not valid JSON.', { cause: error });
  }
}
