import { randomBytes } from 'node:crypto';

/**
 * The dashboard refuses callers without credentials (local mode's launch secret). A benchmark
 * starts its demo with this secret and sends it as a bearer token, as scripts do (README, Access).
 */
export const BENCH_LAUNCH_SECRET = randomBytes(24).toString('base64url');

/** Headers that sign a benchmark's API requests in. */
export const DASHBOARD_AUTHORIZATION = { authorization: `Bearer ${BENCH_LAUNCH_SECRET}` } as const;

/** The environment for a demo the benchmark talks to: the known launch secret, quiet logs. */
export function demoEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, MESHSCOPE_LAUNCH_SECRET: BENCH_LAUNCH_SECRET, ...extra };
}

/** The dashboard's origin from its ready line's URL, which may carry the launch link (`/?launch=`). */
export function dashboardOrigin(readyUrl: string): string {
  return new URL(readyUrl).origin;
}
