import { type NextRequest, NextResponse } from 'next/server';
import {
  cookiePort,
  csrfCookieName,
  isHttpsRequest,
  serializeCookie,
  sessionCookieName,
} from '@/server/auth/cookies';
import { safeEqual } from '@/server/auth/crypto';
import { csrfToken } from '@/server/auth/csrf';
import { localSessionValue, pageSessionKey } from '@/server/auth/gate';
import { getAuthSettings } from '@/server/auth/settings';
import { isAllowedHost } from '@/server/request-guard';

/**
 * Pages only (API routes check access themselves, server/api-route.ts): the Host allow-list, the
 * local mode's launch link (`?launch=SECRET` becomes an HttpOnly cookie, then the clean URL), the
 * sign-in redirect, the CSRF cookie the page's writes send back, and a per-request CSP nonce that
 * Next puts on its own scripts (which makes every page dynamically rendered).
 */
export function proxy(request: NextRequest) {
  const host = (request.headers.get('host') ?? request.nextUrl.host).toLowerCase();
  if (!isAllowedHost(host)) {
    return new NextResponse('This host name is not one Meshscope answers to.\n', {
      status: 403,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }
  // Named and flagged as the API's sign-in does (server/auth/session.ts), matching lib/api-fetch.ts.
  const port = cookiePort(host, request.headers, request.url);
  const secure = isHttpsRequest(request.headers, request.url);
  const settings = getAuthSettings();
  const launch = request.nextUrl.searchParams.get('launch');
  if (launch !== null) {
    const clean = request.nextUrl.clone();
    clean.searchParams.delete('launch');
    const response = NextResponse.redirect(clean, 303);
    if (settings.mode === 'local' && safeEqual(launch, settings.launchSecret)) {
      response.headers.append(
        'set-cookie',
        serializeCookie(sessionCookieName(port), localSessionValue(), { httpOnly: true, secure }),
      );
      response.headers.append(
        'set-cookie',
        serializeCookie(csrfCookieName(port), csrfToken('local'), { httpOnly: false, secure }),
      );
    }
    return withSecurityHeaders(response, contentSecurityPolicy(nonce()));
  }

  const sessionKey = pageSessionKey(request.headers, host, request.url);
  if (sessionKey === undefined && request.nextUrl.pathname !== '/sign-in') {
    const signIn = request.nextUrl.clone();
    signIn.pathname = '/sign-in';
    signIn.search = '';
    signIn.searchParams.set('next', `${request.nextUrl.pathname}${request.nextUrl.search}`);
    return withSecurityHeaders(NextResponse.redirect(signIn, 303), contentSecurityPolicy(nonce()));
  }

  const requestNonce = nonce();
  const policy = contentSecurityPolicy(requestNonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', requestNonce);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  if (sessionKey !== undefined) {
    response.headers.append(
      'set-cookie',
      serializeCookie(csrfCookieName(port), csrfToken(sessionKey), { httpOnly: false, secure }),
    );
  }
  return withSecurityHeaders(response, policy);
}

function nonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
}

/**
 * - script-src: Next's own scripts carry the nonce; 'strict-dynamic' lets them load the chunks.
 *   'unsafe-eval' only in `next dev` (React rebuilds server error stacks with it).
 * - style-src keeps 'unsafe-inline' for the `style` attributes React renders (no script runs from it).
 * - No `upgrade-insecure-requests`: served over plain HTTP on loopback or a port-forward.
 */
function contentSecurityPolicy(scriptNonce: string): string {
  const isDev = process.env.NODE_ENV === 'development';
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${scriptNonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function withSecurityHeaders(response: NextResponse, policy: string): NextResponse {
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  matcher: [
    // Prefetches too: a page's server render may read the cluster, so none skips the sign-in check.
    '/((?!api/|metrics|_next/static|_next/image|favicon.ico|icon.svg).*)',
  ],
};
