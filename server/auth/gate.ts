import 'server-only';
import { hostPort, parseCookies, sessionCookieName } from './cookies';
import { fingerprint, safeEqual, sign } from './crypto';
import { findSession } from './sessions';
import { getAuthSettings } from './settings';

/**
 * What proxy.ts may use to decide whether to show a page: light checks without cluster calls (the
 * page's data comes from API routes, which authenticate fully, server/auth/authenticate.ts).
 */

/** The local mode's cookie value: an HMAC of the launch secret, so the secret itself is never stored. */
export function localSessionValue(): string {
  return sign(getAuthSettings().signingKey, 'local-session');
}

export function bearerToken(headers: Headers): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '');
  return match?.[1];
}

/**
 * Whether the request carries what the mode accepts: local: the launch cookie or secret; token: a
 * live session or a bearer token (checked by the API); header: the proxy's identity headers.
 * Returns the key the CSRF token is bound to, or undefined.
 */
export function pageSessionKey(headers: Headers, host: string): string | undefined {
  const settings = getAuthSettings();
  const cookie = parseCookies(headers.get('cookie')).get(sessionCookieName(hostPort(host)));
  const bearer = bearerToken(headers);
  if (settings.mode === 'local') {
    if (bearer !== undefined) return safeEqual(bearer, settings.launchSecret) ? 'local' : undefined;
    return cookie !== undefined && safeEqual(cookie, localSessionValue()) ? 'local' : undefined;
  }
  if (settings.mode === 'token') {
    if (bearer !== undefined) return undefined;
    return findSession(cookie, settings.sessionIdleMs)?.id;
  }
  return proxiedIdentity(headers)?.identityKey;
}

/** Header mode: the identity the authenticating proxy sent, keyed by a hash (never the token). */
export function proxiedIdentity(
  headers: Headers,
): { identityKey: string; bearer?: string; user?: string; groups: string[] } | undefined {
  const bearer = bearerToken(headers);
  if (bearer !== undefined) return { identityKey: `token:${fingerprint(bearer)}`, bearer, groups: [] };
  const user = headers.get('impersonate-user')?.trim();
  if (!user) return undefined;
  const groups = (headers.get('impersonate-group') ?? '')
    .split(',')
    .map((group) => group.trim())
    .filter((group) => group !== '');
  return { identityKey: `impersonate:${fingerprint(JSON.stringify([user, groups]))}`, user, groups };
}
