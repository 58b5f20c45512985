import { createHmac } from 'node:crypto';
import {
  CHAOS_DEMO_PORT,
  DEMO_PORT,
  PROMETHEUS_DEMO_PORT,
  TOKEN_DEMO_PORT,
  UNREACHABLE_PORT,
  VIEWER_PORT,
  WRITES_DEMO_PORT,
} from './ports';

/**
 * How the e2e dashboards are signed in. Every local-mode dashboard Playwright starts gets this
 * launch secret (MESHSCOPE_LAUNCH_SECRET), and every browser context starts with the cookie the
 * launch link would have set (playwright.config.ts `storageState`), so specs need no sign-in step.
 */
export const E2E_LAUNCH_SECRET = process.env.E2E_LAUNCH_SECRET ?? 'e2e-launch-secret-0123456789abcdef';

/**
 * A string planted in the token-mode dashboard's credentials (its simulator's admin token and its
 * MESHSCOPE_LAUNCH_SECRET): e2e/auth.spec.ts checks that no page, API answer or log line shows it.
 */
export const CANARY = 'canary7f3a9c1e';
export const TOKEN_DEMO_ADMIN_TOKEN = `${CANARY}-admin-token-0000000000000000`;
export const TOKEN_DEMO_VIEWER_TOKEN = `${CANARY}-viewer-token-000000000000000`;
export const TOKEN_DEMO_LAUNCH_SECRET = `${CANARY}-launch-secret-00000000000`;
/** Where the token-mode dashboard's stdout and stderr go (read by e2e/auth.spec.ts). */
export const TOKEN_DEMO_LOG = `.meshscope/e2e-token-${TOKEN_DEMO_PORT}.log`;

/** The value server/auth/gate.ts `localSessionValue` gives for a launch secret. */
export function localSessionCookie(secret: string): string {
  return createHmac('sha256', `meshscope-signing:${secret}`).update('local-session').digest('base64url');
}

/** The launch cookie of every local-mode e2e dashboard (cookies ignore ports; their names do not). */
export function launchCookies() {
  const value = localSessionCookie(E2E_LAUNCH_SECRET);
  return [
    DEMO_PORT,
    UNREACHABLE_PORT,
    PROMETHEUS_DEMO_PORT,
    WRITES_DEMO_PORT,
    VIEWER_PORT,
    CHAOS_DEMO_PORT,
  ].map((port) => ({
    name: `meshscope-session-${port}`,
    value,
    domain: '127.0.0.1',
    path: '/',
    expires: -1,
    httpOnly: true,
    secure: false,
    sameSite: 'Strict' as const,
  }));
}
