import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { CliError } from './cli/errors';

/** How long Prometheus may take to answer `/-/ready`, in milliseconds. */
const READY_TIMEOUT_MS = 30_000;
/** How long it may take to stop after SIGTERM before it is killed, in milliseconds. */
const STOP_TIMEOUT_MS = 10_000;
const POLL_MS = 200;

export interface PrometheusProcess {
  /** `http://127.0.0.1:PORT` */
  url: string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface PrometheusProcessOptions {
  configFile: string;
  /** a directory of its own: the TSDB goes in it, and it is removed on stop */
  storageDir: string;
  address: string;
}

/** The `prometheus` executable on PATH, or undefined. */
export async function findPrometheus(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const directory of (env.PATH ?? '').split(path.delimiter)) {
    if (directory === '') continue;
    const candidate = path.join(directory, 'prometheus');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound ? bound.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return exited.then(() => undefined);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  return exited.then(() => clearTimeout(timer));
}

/**
 * Starts Debian's `prometheus` on the loopback address with the given configuration and a fresh
 * storage directory, and resolves once `/-/ready` answers. Its stderr is kept back and shown only
 * if it fails to start. It dies with this process (an `exit` hook), and `stop()` removes its data.
 */
export async function spawnPrometheus(
  binary: string,
  options: PrometheusProcessOptions,
): Promise<PrometheusProcess> {
  await mkdir(options.storageDir, { recursive: true });
  const port = await freePort(options.address);
  const url = `http://${options.address}:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${options.configFile}`,
      `--storage.tsdb.path=${options.storageDir}`,
      `--web.listen-address=${options.address}:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child, exited);
    await rm(options.storageDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new CliError(
        `Prometheus exited during start-up (code ${child.exitCode}): ${errors.trim() || 'no output'}`,
      );
    }
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { url, exited, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new CliError(
        `Prometheus did not become ready within ${READY_TIMEOUT_MS / 1000} s: ${errors.trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
