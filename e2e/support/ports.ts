/** Ports of the dashboards Playwright starts (playwright.config.ts), away from the demo's 3000. */
export const DEMO_PORT = 3123;
/** A second dashboard whose cluster cannot be reached (e2e/support/unreachable.kubeconfig). */
export const UNREACHABLE_PORT = 3124;
