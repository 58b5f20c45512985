/** Starting a simulator in a fresh temporary directory for a test, and cleaning up after it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../simulator';

export interface TestSimulator extends RunningSimulator {
  directory: string;
  dispose(): Promise<void>;
}

export async function startTestSimulator(options: Partial<SimulatorOptions> = {}): Promise<TestSimulator> {
  const directory = await mkdtemp(join(tmpdir(), 'meshscope-sim-'));
  const simulator = await startSimulator({
    scenario: 'bookinfo',
    ...options,
    kubeconfigDir: options.kubeconfigDir ?? directory,
  });
  return {
    ...simulator,
    directory,
    dispose: async () => {
      await simulator.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Poll `check` until it returns a value other than undefined, or fail after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
