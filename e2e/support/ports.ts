/**
 * Ports of the dashboards Playwright starts (playwright.config.ts), away from the demo's 3000.
 * `E2E_PORT_BASE` moves them all, so two checkouts can run their browser tests side by side.
 */
const BASE = Number(process.env.E2E_PORT_BASE ?? 3123);

/** The bookinfo demo the read-only tests look at. */
export const DEMO_PORT = BASE;
/** A second dashboard whose cluster cannot be reached (e2e/support/unreachable.kubeconfig). */
export const UNREACHABLE_PORT = BASE + 1;
/** The demo with a real Prometheus behind it (`npm run demo -- --with-prometheus`). */
export const PROMETHEUS_DEMO_PORT = BASE + 2;
/** A demo of its own for the traffic-split tests, which change its VirtualServices. */
export const WRITES_DEMO_PORT = BASE + 3;
/** A dashboard on the writes demo's simulator as its read-only user (viewer.kubeconfig). */
export const VIEWER_PORT = BASE + 4;
/** The `chaos` scenario (flaky pod, plaintext caller, denied edge), for security and resilience. */
export const CHAOS_DEMO_PORT = BASE + 5;
/** A demo in `token` mode (sign-in page, per-user credentials), for e2e/auth.spec.ts. */
export const TOKEN_DEMO_PORT = BASE + 6;
