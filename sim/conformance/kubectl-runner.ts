/**
 * Running the real `kubectl` against a simulated cluster from tests: always with an explicit
 * KUBECONFIG and a discovery cache of its own (kubectl caches discovery per host:port for hours,
 * and simulators reuse ports), and never through a shell.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The absolute path of an executable on PATH, or undefined when there is none. */
export function findOnPath(command: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface KubectlResult {
  /** the exit code; null when kubectl was killed by a signal */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** another kubeconfig than the runner's default (a different user) */
  kubeconfig?: string;
  /** kill kubectl after this long; the result then has code null */
  timeoutMs?: number;
}

interface ExecFailure {
  code?: number | string | null;
  stdout?: string;
  stderr?: string;
}

/** A long-running kubectl (such as `get -w`) whose output is collected as it arrives. */
export interface KubectlProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Kill it (if still running) and wait for it to exit. */
  stop(): Promise<void>;
}

export class Kubectl {
  constructor(
    readonly kubeconfig: string,
    readonly cacheDir: string,
    readonly executable = 'kubectl',
  ) {}

  private argv(args: string[]): string[] {
    return ['--cache-dir', this.cacheDir, ...args];
  }

  private env(kubeconfig: string): NodeJS.ProcessEnv {
    return { ...process.env, KUBECONFIG: kubeconfig };
  }

  /** Run kubectl to completion. A non-zero exit is a result, not an exception. */
  async run(args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
    try {
      const { stdout, stderr } = await execFileAsync(this.executable, this.argv(args), {
        env: this.env(options.kubeconfig ?? this.kubeconfig),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 30_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as ExecFailure;
      // a string code (ENOENT, ...) means kubectl did not run at all
      if (typeof failure.code === 'string' || failure.stdout === undefined) throw error;
      return { code: failure.code ?? null, stdout: failure.stdout, stderr: failure.stderr ?? '' };
    }
  }

  /** Start kubectl and return at once; the caller must `stop()` it. Killed after `timeoutMs` regardless. */
  start(args: string[], options: KubectlOptions = {}): KubectlProcess {
    const child = spawn(this.executable, this.argv(args), {
      env: this.env(options.kubeconfig ?? this.kubeconfig),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    });
    const deadline = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    deadline.unref();
    return {
      child,
      stdout: () => stdout,
      stderr: () => stderr,
      stop: async () => {
        clearTimeout(deadline);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  }
}

/** The rows of a kubectl table (header excluded), each split on runs of two or more spaces. */
export function tableRows(output: string): string[][] {
  return output
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s{2,}/));
}

/** The column names of a kubectl table's header line. */
export function tableHeader(output: string): string[] {
  return (output.split('\n')[0] ?? '').trim().split(/\s+/);
}
