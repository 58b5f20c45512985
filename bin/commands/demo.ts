import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOOPBACK, parseDemoArgs } from '../cli/args';
import { CliError } from '../cli/errors';
import { applyAccessEnv, readyUrl } from '../dashboard/access';
import { ensureBuild } from '../dashboard/build';
import { applyDashboardEnv } from '../dashboard/env';
import { listen, loadNextHandler } from '../dashboard/server';
import { PROJECT_ROOT } from '../paths';
import { findPrometheus, type PrometheusProcess, spawnPrometheus } from '../prometheus-process';
import { stopOnSignal } from '../shutdown';
import { type SimulatorProcess, spawnSimulator } from '../sim-process';
import { DASHBOARD_READY_PREFIX } from './start';

/**
 * Where a demo's simulator writes its kubeconfigs: apart from `meshscope sim`'s, and one directory
 * per dashboard port, so that demos running side by side (as the e2e set-up runs them) each keep
 * the kubeconfigs of their own simulator.
 */
export function demoKubeconfigDir(port: number): string {
  return path.join(PROJECT_ROOT, '.meshscope', `demo-${port}`);
}

/**
 * Starts the simulator and makes sure the build is current, at the same time; if either fails,
 * the other is cancelled and the first failure is thrown.
 */
async function startSimulatorAndBuild(
  scenario: string,
  size: { services: number; namespaces: number } | undefined,
  kubeconfigDir: string,
  prometheusConfig: string | undefined,
  signal: AbortSignal,
): Promise<SimulatorProcess> {
  const cancel = new AbortController();
  signal.addEventListener('abort', () => cancel.abort(signal.reason), { once: true });
  let firstFailure: unknown;
  const recordFailure = (error: unknown) => {
    firstFailure ??= error;
    cancel.abort();
  };
  const simulator = spawnSimulator({
    scenario,
    kubeconfigDir,
    ...(size ? { size } : {}),
    ...(prometheusConfig !== undefined ? { prometheusConfig } : {}),
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

/** With `--with-prometheus`: the binary, and a scratch directory for its configuration and data. */
interface PrometheusPlan {
  binary: string;
  directory: string;
  configFile: string;
}

async function planPrometheus(): Promise<PrometheusPlan> {
  const binary = await findPrometheus();
  if (binary === undefined) {
    throw new CliError(
      '--with-prometheus needs the `prometheus` executable on PATH, and none was found. ' +
        'Install it (Debian: apt-get install prometheus) or run the demo without --with-prometheus.',
    );
  }
  const directory = await mkdtemp(path.join(tmpdir(), 'meshscope-demo-prometheus-'));
  return { binary, directory, configFile: path.join(directory, 'prometheus.yml') };
}

/**
 * `meshscope demo`: the simulator (child process) and the dashboard (this process) together; with
 * `--with-prometheus`, also a real Prometheus on 127.0.0.1 scraping the simulated mesh, which the
 * dashboard then reads its telemetry from.
 */
export async function runDemo(argv: string[]): Promise<void> {
  const args = parseDemoArgs(argv);
  const plan = args.withPrometheus ? await planPrometheus() : undefined;
  const listener = await listen(LOOPBACK, args.port);
  const abort = new AbortController();
  let simulator: SimulatorProcess | undefined;
  let prometheus: PrometheusProcess | undefined;
  let stopping = false;
  const removeScratch = async () => {
    if (plan) await rm(plan.directory, { recursive: true, force: true });
  };
  stopOnSignal(async () => {
    stopping = true;
    console.log('Stopping Meshscope...');
    abort.abort();
    await Promise.all([listener.close(), simulator?.stop(), prometheus?.stop()]);
    await removeScratch();
  });

  const failStart = async (error: unknown): Promise<never> => {
    await Promise.all([listener.close(), simulator?.stop()]);
    await removeScratch();
    throw error;
  };
  simulator = await startSimulatorAndBuild(
    args.scenario,
    args.services !== undefined && args.namespaces !== undefined
      ? { services: args.services, namespaces: args.namespaces }
      : undefined,
    demoKubeconfigDir(listener.port),
    plan?.configFile,
    abort.signal,
  ).catch(failStart);
  if (plan) {
    prometheus = await spawnPrometheus(plan.binary, {
      configFile: plan.configFile,
      storageDir: path.join(plan.directory, 'data'),
      address: LOOPBACK,
    }).catch(failStart);
    console.log(`Prometheus ready: ${prometheus.url} (scraping the simulated mesh)`);
    void prometheus.exited.then(async (code) => {
      if (stopping) return;
      console.error(`meshscope: Prometheus exited unexpectedly (code ${code}); stopping.`);
      await Promise.all([listener.close(), simulator?.stop()]);
      await removeScratch();
      process.exit(1);
    });
  }
  void simulator.exited.then(async (code) => {
    if (stopping) return;
    console.error(`meshscope: the simulator exited unexpectedly (code ${code}); stopping.`);
    await Promise.all([listener.close(), prometheus?.stop()]);
    await removeScratch();
    process.exit(1);
  });

  applyDashboardEnv({
    MESHSCOPE_KUBECONFIG: simulator.kubeconfigs.admin,
    MESHSCOPE_CONTEXT: undefined,
    MESHSCOPE_PROMETHEUS_URL: prometheus?.url,
    ...(args.readOnly ? { MESHSCOPE_READ_ONLY: 'true' as const } : {}),
  });
  applyAccessEnv({ mode: args.auth, port: listener.port });
  listener.serve(await loadNextHandler({ dir: PROJECT_ROOT, address: LOOPBACK, port: listener.port }));
  console.log(`${DASHBOARD_READY_PREFIX}${readyUrl(LOOPBACK, listener.port, args.auth)}`);
}
