/** Ports of the dashboards Playwright starts (playwright.config.ts), away from the demo's 3000. */
export const DEMO_PORT = 3123;
/** A second dashboard whose cluster cannot be reached (e2e/support/unreachable.kubeconfig). */
export const UNREACHABLE_PORT = 3124;
/** The demo with a real Prometheus behind it (`npm run demo -- --with-prometheus`). */
export const PROMETHEUS_DEMO_PORT = 3125;
/** A demo of its own for the traffic-split tests, which change its VirtualServices. */
export const WRITES_DEMO_PORT = 3126;
/** A dashboard on the writes demo's simulator as its read-only user (viewer.kubeconfig). */
export const VIEWER_PORT = 3127;
