import 'server-only';
import { AppError } from '../errors';
import { cookiePort, parseCookies, sessionCookieName } from './cookies';
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
export function pageSessionKey(headers: Headers, host: string, url?: string): string | undefined {
  const settings = getAuthSettings();
  const cookie = parseCookies(headers.get('cookie')).get(sessionCookieName(cookiePort(host, headers, url)));
  const bearer = bearerToken(headers);
  if (settings.mode === 'local') {
    if (bearer !== undefined) return safeEqual(bearer, settings.launchSecret) ? 'local' : undefined;
    return cookie !== undefined && safeEqual(cookie, localSessionValue()) ? 'local' : undefined;
  }
  if (settings.mode === 'token') {
    if (bearer !== undefined) return undefined;
    return findSession(cookie, settings.sessionIdleMs)?.id;
  }
  try {
    return proxiedIdentity(headers)?.identityKey;
  } catch {
    return undefined;
  }
}

/** The header the authenticating proxy proves itself with (MESHSCOPE_PROXY_SECRET). */
export const PROXY_SECRET_HEADER = 'x-meshscope-proxy-secret';

/**
 * Whether the request came through the authenticating proxy: it carries the shared secret
 * (constant-time comparison). Header mode never starts without one (server/auth/settings.ts).
 */
export function fromTrustedProxy(headers: Headers): boolean {
  const expected = getAuthSettings().proxySecret;
  const sent = headers.get(PROXY_SECRET_HEADER);
  return expected !== '' && sent !== null && safeEqual(sent, expected);
}

/**
 * Names Meshscope refuses to impersonate, whatever the proxy says: every `system:` user and group
 * (`system:masters` is cluster-admin that no RBAC rule can take away; `system:nodes`,
 * `system:serviceaccounts:*`, `system:admin`, the control-plane components are no person's identity).
 * Kubernetes adds `system:authenticated` to an impersonated user by itself.
 */
function isReservedIdentity(name: string): boolean {
  return name.toLowerCase().startsWith('system:');
}

/**
 * Header mode: the identity the authenticating proxy sent, keyed by a hash (never the token).
 * Undefined without the proxy's secret (no identity header is read then); throws 403 `forbidden`
 * for a `system:` user or group.
 */
export function proxiedIdentity(
  headers: Headers,
): { identityKey: string; bearer?: string; user?: string; groups: string[] } | undefined {
  if (!fromTrustedProxy(headers)) return undefined;
  const bearer = bearerToken(headers);
  if (bearer !== undefined) return { identityKey: `token:${fingerprint(bearer)}`, bearer, groups: [] };
  const user = headers.get('impersonate-user')?.trim();
  if (!user) return undefined;
  const groups = (headers.get('impersonate-group') ?? '')
    .split(',')
    .map((group) => group.trim())
    .filter((group) => group !== '');
  const reserved = [user, ...groups].find(isReservedIdentity);
  if (reserved !== undefined) {
    throw new AppError('forbidden', `Meshscope does not impersonate ${reserved} (no system: user or group).`);
  }
  return { identityKey: `impersonate:${fingerprint(JSON.stringify([user, groups]))}`, user, groups };
}
