import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CliError } from './cli/errors';
import { SIM_READY_PREFIX } from './commands/sim';
import { LAUNCHER_ENTRY, PROJECT_ROOT } from './paths';

/** How long the simulator may take to print its ready line, in milliseconds. */
const READY_TIMEOUT_MS = 60_000;
/** How long it may take to stop after SIGTERM before it is killed, in milliseconds. */
const STOP_TIMEOUT_MS = 10_000;

export interface SimulatorProcess {
  url: string;
  kubeconfigs: { admin: string; viewer: string };
  /** Resolves with the exit code when the process ends, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface SimulatorProcessOptions {
  scenario: string;
  kubeconfigDir: string;
  /** also write a Prometheus configuration that scrapes the simulated mesh, at this path */
  prometheusConfig?: string;
  /** size of the scenario (`large`): both or neither */
  size?: { services: number; namespaces: number };
  signal?: AbortSignal;
}

function prefixed(line: string): string {
  return `[sim] ${line}`;
}

function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  return exited.then(() => clearTimeout(timer));
}

/**
 * Starts `meshscope sim` as a child process (its own program, its own event loop) and resolves
 * once it prints its ready line. Its output is relayed with a `[sim]` prefix; before it is ready,
 * stderr is held back so that a failure is reported as one line. An IPC channel ties its life to
 * ours: if this process dies, the simulator stops too.
 */
export function spawnSimulator(options: SimulatorProcessOptions): Promise<SimulatorProcess> {
  const kubeconfigDir = path.resolve(options.kubeconfigDir);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      LAUNCHER_ENTRY,
      'sim',
      '--scenario',
      options.scenario,
      '--kubeconfig-dir',
      kubeconfigDir,
      ...(options.prometheusConfig !== undefined ? ['--prometheus-config', options.prometheusConfig] : []),
      ...(options.size
        ? ['--services', String(options.size.services), '--namespaces', String(options.size.namespaces)]
        : []),
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: process.env },
  );
  const { stdout, stderr } = child;
  if (stdout === null || stderr === null) throw new Error('spawn without piped stdout/stderr');
  // 'close', not 'exit': by then its output has been read to the end.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const heldErrors: string[] = [];
  let ready = false;

  createInterface({ input: stderr }).on('line', (line) => {
    if (ready) console.error(prefixed(line));
    else heldErrors.push(line);
  });

  return new Promise<SimulatorProcess>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', handleAbort);
      for (const line of heldErrors.slice(0, -1)) console.error(prefixed(line));
      void stopChild(child, exited);
      reject(new CliError(message));
    };
    const handleAbort = () => fail('Simulator start cancelled.');
    const timer = setTimeout(
      () => fail(`Simulator failed to start: no ready line within ${READY_TIMEOUT_MS / 1000} s.`),
      READY_TIMEOUT_MS,
    );
    options.signal?.addEventListener('abort', handleAbort, { once: true });

    createInterface({ input: stdout }).on('line', (line) => {
      console.log(prefixed(line));
      if (settled || !line.startsWith(SIM_READY_PREFIX)) return;
      settled = true;
      ready = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', handleAbort);
      for (const held of heldErrors.splice(0)) console.error(prefixed(held));
      resolve({
        url: line.slice(SIM_READY_PREFIX.length).trim(),
        kubeconfigs: {
          admin: path.join(kubeconfigDir, 'admin.kubeconfig'),
          viewer: path.join(kubeconfigDir, 'viewer.kubeconfig'),
        },
        exited,
        stop: () => stopChild(child, exited),
      });
    });
    void exited.then((code) => {
      if (ready) return;
      const last = heldErrors.at(-1)?.replace(/^meshscope( sim)?: /, '');
      fail(last ?? `Simulator failed to start: it exited with code ${code}.`);
    });
  });
}
