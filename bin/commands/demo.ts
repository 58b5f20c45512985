import path from 'node:path';
import { LOOPBACK, parseDemoArgs } from '../cli/args';
import { browserUrl } from '../cli/values';
import { ensureBuild } from '../dashboard/build';
import { applyDashboardEnv } from '../dashboard/env';
import { listen, loadNextHandler } from '../dashboard/server';
import { PROJECT_ROOT } from '../paths';
import { stopOnSignal } from '../shutdown';
import { type SimulatorProcess, spawnSimulator } from '../sim-process';
import { DASHBOARD_READY_PREFIX } from './start';

/** Where the demo's simulator writes its kubeconfigs (kept apart from `meshscope sim`'s). */
const DEMO_KUBECONFIG_DIR = '.meshscope/demo';

/**
 * Starts the simulator and makes sure the build is current, at the same time; if either fails,
 * the other is cancelled and the first failure is thrown.
 */
async function startSimulatorAndBuild(scenario: string, signal: AbortSignal): Promise<SimulatorProcess> {
  const cancel = new AbortController();
  signal.addEventListener('abort', () => cancel.abort(signal.reason), { once: true });
  let firstFailure: unknown;
  const recordFailure = (error: unknown) => {
    firstFailure ??= error;
    cancel.abort();
  };
  const simulator = spawnSimulator({
    scenario,
    kubeconfigDir: path.join(PROJECT_ROOT, DEMO_KUBECONFIG_DIR),
    signal: cancel.signal,
  });
  const [simulatorResult] = await Promise.allSettled([
    simulator.catch((error: unknown) => {
      recordFailure(error);
      throw error;
    }),
    ensureBuild(PROJECT_ROOT, cancel.signal).catch(recordFailure),
  ]);
  if (firstFailure === undefined && simulatorResult.status === 'fulfilled') return simulatorResult.value;
  if (simulatorResult.status === 'fulfilled') await simulatorResult.value.stop();
  throw firstFailure;
}

/** `meshscope demo`: the simulator (child process) and the dashboard (this process) together. */
export async function runDemo(argv: string[]): Promise<void> {
  const args = parseDemoArgs(argv);
  if (args.withPrometheus) {
    console.warn('meshscope demo: --with-prometheus is not supported yet; continuing without Prometheus.');
  }
  const listener = await listen(LOOPBACK, args.port);
  const abort = new AbortController();
  let simulator: SimulatorProcess | undefined;
  let stopping = false;
  stopOnSignal(async () => {
    stopping = true;
    console.log('Stopping Meshscope...');
    abort.abort();
    await Promise.all([listener.close(), simulator?.stop()]);
  });

  simulator = await startSimulatorAndBuild(args.scenario, abort.signal).catch(async (error: unknown) => {
    await listener.close();
    throw error;
  });
  void simulator.exited.then(async (code) => {
    if (stopping) return;
    console.error(`meshscope: the simulator exited unexpectedly (code ${code}); stopping.`);
    await listener.close();
    process.exit(1);
  });

  applyDashboardEnv({
    MESHSCOPE_KUBECONFIG: simulator.kubeconfigs.admin,
    MESHSCOPE_CONTEXT: undefined,
    MESHSCOPE_PROMETHEUS_URL: undefined,
  });
  listener.serve(await loadNextHandler({ dir: PROJECT_ROOT, address: LOOPBACK, port: listener.port }));
  console.log(`${DASHBOARD_READY_PREFIX}${browserUrl(LOOPBACK, listener.port)}`);
}
