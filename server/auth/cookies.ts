import 'server-only';

/**
 * Cookie names carry the port the browser used: cookies are shared by every port of a host, so two
 * dashboards on 127.0.0.1:3000 and :3001 would otherwise overwrite each other's sessions.
 */
export function sessionCookieName(port: string): string {
  return `meshscope-session-${port}`;
}

/** Readable by the page's scripts (lib/api-fetch.ts sends it back in `x-csrf-token`). */
export function csrfCookieName(port: string): string {
  return `meshscope-csrf-${port}`;
}

/** Whether the browser reached us over HTTPS (directly, or through a TLS-terminating proxy). */
export function isHttpsRequest(headers: Headers, url?: string): boolean {
  return (
    url?.startsWith('https:') === true ||
    headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https'
  );
}

/**
 * The port cookie names carry, as the browser computes it (lib/api-fetch.ts: `location.port`, else
 * 443 over HTTPS and 80 over HTTP): the `Host` header's port, else the scheme's default. Every
 * server site that names a cookie uses this, so names agree behind a TLS-terminating proxy too.
 */
export function cookiePort(host: string, headers: Headers, url?: string): string {
  return hostPort(host, isHttpsRequest(headers, url) ? 'https:' : 'http:');
}

/** The port of a `Host` header value (`127.0.0.1:3000`, `[::1]:3000`, `example.org`). */
export function hostPort(host: string, protocol = 'http:'): string {
  const match = /:(\d+)$/.exec(host);
  if (match?.[1]) return match[1];
  return protocol === 'https:' ? '443' : '80';
}

export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const equals = part.indexOf('=');
    if (equals <= 0) continue;
    const name = part.slice(0, equals).trim();
    const value = part.slice(equals + 1).trim();
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  httpOnly: boolean;
  /** seconds; 0 deletes the cookie; unset = until the browser closes */
  maxAge?: number;
  secure?: boolean;
}

/** A `Set-Cookie` value: always Path=/ and SameSite=Strict. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${value}`,
    'Path=/',
    'SameSite=Strict',
    ...(options.httpOnly ? ['HttpOnly'] : []),
    ...(options.secure ? ['Secure'] : []),
    ...(options.maxAge !== undefined ? [`Max-Age=${options.maxAge}`] : []),
  ].join('; ');
}
