/**
 * For Vitest tests that call route handlers directly: the launch secret vitest.config.ts sets for
 * every test process, and a Request that presents it the way a script does (`Authorization:
 * Bearer`), so the handler runs as the local-mode caller.
 */
export const TEST_LAUNCH_SECRET = 'vitest-launch-secret-0123456789abcdef';

export function signedIn(url: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${TEST_LAUNCH_SECRET}`);
  return new Request(url, { ...init, headers });
}
