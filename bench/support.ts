import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SIM_READY_PREFIX } from '../bin/commands/sim';
import { LAUNCHER_ENTRY, PROJECT_ROOT } from '../bin/paths';

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

export interface SimulatorChild {
  /** the simulator's admin kubeconfig */
  kubeconfig: string;
  stop(): Promise<void>;
}

export interface SimulatorChildOptions {
  services: number;
  namespaces: number;
  /** where the simulator writes its kubeconfigs */
  directory: string;
  /** also write a Prometheus configuration scraping the mesh to this file */
  prometheusConfig?: string;
  /** longest wait for the ready line, in milliseconds */
  readyMs: number;
}

/**
 * `meshscope sim --scenario large` in a child process with its own event loop, so the benchmark's
 * timings are not the simulator's; resolves on its ready line. Its output is kept for the error.
 */
export function startSimulatorChild(options: SimulatorChildOptions): Promise<SimulatorChild> {
  const args = [
    '--import',
    'tsx',
    LAUNCHER_ENTRY,
    'sim',
    '--scenario',
    'large',
    '--services',
    String(options.services),
    '--namespaces',
    String(options.namespaces),
    '--kubeconfig-dir',
    options.directory,
    ...(options.prometheusConfig ? ['--prometheus-config', options.prometheusConfig] : []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(`the simulator did not start within ${options.readyMs / 1000} s: ${output.join('\n')}`),
      );
    }, options.readyMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited (${code}): ${output.slice(-20).join('\n')}`));
    });
    if (!child.stdout) throw new Error('spawn without piped stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      if (!line.startsWith(SIM_READY_PREFIX)) return;
      clearTimeout(timer);
      resolve({ kubeconfig: join(options.directory, 'admin.kubeconfig'), stop });
    });
  });
}

/** A TCP port on 127.0.0.1 nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}
