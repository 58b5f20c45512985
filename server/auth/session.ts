import 'server-only';
import { z } from 'zod';
import type { SessionResponse } from '@/lib/types/session';
import { getConfig } from '../config';
import { AppError } from '../errors';
import { jsonBody } from '../request-guard';
import { verifyToken } from './authenticate';
import type { Caller } from './caller';
import {
  cookiePort,
  csrfCookieName,
  isHttpsRequest,
  parseCookies,
  serializeCookie,
  sessionCookieName,
} from './cookies';
import { safeEqual } from './crypto';
import { csrfToken } from './csrf';
import { localSessionValue } from './gate';
import { createSession, deleteSession } from './sessions';
import { getAuthSettings } from './settings';

/** What `GET /api/auth/session` answers (lib/types/session.ts). */
export type SessionInfo = SessionResponse;

export function sessionInfo(caller: Caller): SessionInfo {
  return {
    mode: caller.mode,
    user: caller.user,
    groups: caller.groups,
    via: caller.via,
    readOnly: getConfig().readOnly,
  };
}

const signInSchema = z.union([
  z.object({ token: z.string().trim().min(1).max(16_384) }),
  z.object({ launchSecret: z.string().trim().min(1).max(1_024) }),
]);

/** The cookies that sign a browser in: the HttpOnly session and the page-readable CSRF token. */
export function signedInCookies(
  port: string,
  sessionValue: string,
  sessionKey: string,
  secure = false,
): string[] {
  return [
    serializeCookie(sessionCookieName(port), sessionValue, { httpOnly: true, secure }),
    serializeCookie(csrfCookieName(port), csrfToken(sessionKey), { httpOnly: false, secure }),
  ];
}

/** Whether the browser reached us over HTTPS (directly, or through a TLS-terminating proxy). */
export function isHttps(request: Request): boolean {
  return isHttpsRequest(request.headers, request.url);
}

function responseWithCookies(body: unknown, cookies: string[], status = 200): Response {
  const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * `POST /api/auth/session`: token mode `{token}` (checked with the cluster, kept server-side; the
 * browser gets a random session id), local mode `{launchSecret}`. Any refusal is 401.
 */
export async function signIn(request: Request, host: string): Promise<Response> {
  const settings = getAuthSettings();
  const port = cookiePort(host, request.headers, request.url);
  let body: unknown;
  try {
    body = await jsonBody(request);
  } catch {
    body = undefined;
  }
  const parsed = signInSchema.safeParse(body);
  if (settings.mode === 'token' && parsed.success && 'token' in parsed.data) {
    const token = parsed.data.token;
    const verified = await verifyToken(token);
    const session = createSession(token, verified.user, verified.groups);
    return responseWithCookies(
      { user: verified.user, groups: verified.groups },
      signedInCookies(port, session.id, session.id, isHttps(request)),
    );
  }
  if (settings.mode === 'local' && parsed.success && 'launchSecret' in parsed.data) {
    if (!safeEqual(parsed.data.launchSecret, settings.launchSecret)) {
      throw new AppError('unauthorized', 'That is not the launch secret of this Meshscope.');
    }
    return responseWithCookies(
      { user: 'kubeconfig user' },
      signedInCookies(port, localSessionValue(), 'local', isHttps(request)),
    );
  }
  if (settings.mode === 'header') {
    throw new AppError('unauthorized', 'Sign in through the proxy in front of Meshscope.');
  }
  throw new AppError(
    'unauthorized',
    settings.mode === 'token' ? 'Paste a Kubernetes bearer token to sign in.' : 'Paste the launch secret.',
  );
}

/** `DELETE /api/auth/session`: forgets the session and clears both cookies. */
export function signOut(request: Request, host: string): Response {
  const port = cookiePort(host, request.headers, request.url);
  const secure = isHttps(request);
  deleteSession(parseCookies(request.headers.get('cookie')).get(sessionCookieName(port)));
  return responseWithCookies({ signedOut: true }, [
    serializeCookie(sessionCookieName(port), '', { httpOnly: true, maxAge: 0, secure }),
    serializeCookie(csrfCookieName(port), '', { httpOnly: false, maxAge: 0, secure }),
  ]);
}
