import { defineConfig, devices, type PlaywrightTestConfig } from '@playwright/test';
import {
  E2E_LAUNCH_SECRET,
  launchCookies,
  TOKEN_DEMO_ADMIN_TOKEN,
  TOKEN_DEMO_LAUNCH_SECRET,
  TOKEN_DEMO_LOG,
  TOKEN_DEMO_VIEWER_TOKEN,
} from './e2e/support/auth';
import {
  CHAOS_DEMO_PORT,
  DEMO_PORT,
  PROMETHEUS_DEMO_PORT,
  TOKEN_DEMO_PORT,
  UNREACHABLE_PORT,
  VIEWER_PORT,
  WRITES_DEMO_PORT,
} from './e2e/support/ports';

const BASE_URL = `http://127.0.0.1:${DEMO_PORT}`;

type WebServer = NonNullable<Exclude<PlaywrightTestConfig['webServer'], unknown[]>> & { name: string };

/** One dashboard (and whatever it starts) that Playwright launches and waits for. */
function dashboard(
  name: string,
  command: string,
  port: number,
  timeoutMinutes: number,
  env: Record<string, string> = { MESHSCOPE_LAUNCH_SECRET: E2E_LAUNCH_SECRET },
): WebServer {
  return {
    name,
    command,
    // Local mode's launch secret, known to the browser contexts' cookies (storageState below).
    env,
    url: `http://127.0.0.1:${port}/api/healthz`,
    timeout: timeoutMinutes * 60_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM to the process group lets the launcher stop the simulator child cleanly.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
  };
}

function selectedServers(servers: WebServer[]): WebServer[] {
  const wanted = process.env.E2E_SERVERS?.split(',').map((name) => name.trim());
  return wanted ? servers.filter((server) => wanted.includes(server.name)) : servers;
}

export default defineConfig({
  testDir: './e2e',
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Signed in to every local-mode dashboard, as the printed launch link would have done.
    storageState: { cookies: launchCookies(), origins: [] },
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
  // `E2E_SERVERS=demo,writes` starts only those (for running one spec file while developing).
  webServer: selectedServers([
    // Simulator + dashboard; the first run also builds the dashboard (next build).
    dashboard('demo', `npm run demo -- --port ${DEMO_PORT}`, DEMO_PORT, 5),
    // The same demo with a real Prometheus (Debian's `prometheus` on PATH) behind the dashboard.
    dashboard(
      'prometheus',
      `npm run demo -- --with-prometheus --port ${PROMETHEUS_DEMO_PORT}`,
      PROMETHEUS_DEMO_PORT,
      5,
    ),
    dashboard(
      'unreachable',
      `npm start -- --kubeconfig e2e/support/unreachable.kubeconfig --port ${UNREACHABLE_PORT}`,
      UNREACHABLE_PORT,
      2,
    ),
    // A demo the traffic-split tests change (weights, header rules), apart from the one the graph
    // tests read the seeded 50/50 split from. Its kubeconfigs: .meshscope/demo-PORT/.
    dashboard('writes', `npm run demo -- --port ${WRITES_DEMO_PORT}`, WRITES_DEMO_PORT, 5),
    // The dashboard on the writes demo's simulator as its read-only user: started after it, so
    // the kubeconfig exists.
    dashboard(
      'viewer',
      `npm start -- --kubeconfig .meshscope/demo-${WRITES_DEMO_PORT}/viewer.kubeconfig --port ${VIEWER_PORT}`,
      VIEWER_PORT,
      2,
    ),
    // The chaos scenario: a flaky pod for outlier ejection, a plaintext caller, a denied edge.
    dashboard('chaos', `npm run demo -- --scenario chaos --port ${CHAOS_DEMO_PORT}`, CHAOS_DEMO_PORT, 5),
    // Token mode (e2e/auth.spec.ts): people sign in with a Kubernetes token. The simulator's tokens
    // and the launch secret carry a canary string that must never show; the output goes to a log
    // file the spec reads.
    dashboard(
      'token',
      [
        `mkdir -p .meshscope/demo-${TOKEN_DEMO_PORT}`,
        `printf '%s' '${JSON.stringify({ admin: TOKEN_DEMO_ADMIN_TOKEN, viewer: TOKEN_DEMO_VIEWER_TOKEN })}' > .meshscope/demo-${TOKEN_DEMO_PORT}/tokens.json`,
        `exec npm run demo -- --auth token --port ${TOKEN_DEMO_PORT} > ${TOKEN_DEMO_LOG} 2>&1`,
      ].join(' && '),
      TOKEN_DEMO_PORT,
      5,
      { MESHSCOPE_LAUNCH_SECRET: TOKEN_DEMO_LAUNCH_SECRET, MESHSCOPE_LOG_LEVEL: 'debug' },
    ),
  ]),
});
