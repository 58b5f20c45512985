import { defineConfig, devices } from '@playwright/test';
import {
  DEMO_PORT,
  PROMETHEUS_DEMO_PORT,
  UNREACHABLE_PORT,
  VIEWER_PORT,
  WRITES_DEMO_PORT,
} from './e2e/support/ports';

const BASE_URL = `http://127.0.0.1:${DEMO_PORT}`;

export default defineConfig({
  testDir: './e2e',
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        // Debian's Chromium: Playwright's own browser download is unreachable from these machines.
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-quic',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  // Started one after the other, so only the first can find the build stale and run next build.
  webServer: [
    {
      name: 'demo',
      // Simulator + dashboard; the first run also builds the dashboard (next build).
      command: `npm run demo -- --port ${DEMO_PORT}`,
      url: `${BASE_URL}/api/healthz`,
      timeout: 5 * 60_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'pipe',
      stderr: 'pipe',
      // SIGTERM to the process group lets the launcher stop the simulator child cleanly.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    },
    {
      name: 'prometheus',
      // The same demo with a real Prometheus (Debian's `prometheus` on PATH) behind the dashboard.
      command: `npm run demo -- --with-prometheus --port ${PROMETHEUS_DEMO_PORT}`,
      url: `http://127.0.0.1:${PROMETHEUS_DEMO_PORT}/api/healthz`,
      timeout: 5 * 60_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    },
    {
      name: 'unreachable',
      command: `npm start -- --kubeconfig e2e/support/unreachable.kubeconfig --port ${UNREACHABLE_PORT}`,
      url: `http://127.0.0.1:${UNREACHABLE_PORT}/api/healthz`,
      timeout: 2 * 60_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    },
    {
      name: 'writes',
      // A demo the traffic-split tests change (weights, header rules), apart from the one the graph
      // tests read the seeded 50/50 split from. Its kubeconfigs: .meshscope/demo-PORT/.
      command: `npm run demo -- --port ${WRITES_DEMO_PORT}`,
      url: `http://127.0.0.1:${WRITES_DEMO_PORT}/api/healthz`,
      timeout: 5 * 60_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    },
    {
      name: 'viewer',
      // The dashboard on the writes demo's simulator as its read-only user: started after it, so
      // the kubeconfig exists.
      command: `npm start -- --kubeconfig .meshscope/demo-${WRITES_DEMO_PORT}/viewer.kubeconfig --port ${VIEWER_PORT}`,
      url: `http://127.0.0.1:${VIEWER_PORT}/api/healthz`,
      timeout: 2 * 60_000,
      reuseExistingServer: !process.env.CI,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    },
  ],
});
