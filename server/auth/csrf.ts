import 'server-only';
import { safeEqual, sign } from './crypto';
import { getAuthSettings } from './settings';

/** The CSRF token of a session: an HMAC of its key, so no per-session state is needed. */
export function csrfToken(sessionKey: string): string {
  return sign(getAuthSettings().signingKey, `csrf:${sessionKey}`);
}

/** Whether `sent` is the CSRF token of `sessionKey` (constant time). */
export function csrfTokenFor(sessionKey: string, sent: string): boolean {
  return safeEqual(csrfToken(sessionKey), sent);
}
