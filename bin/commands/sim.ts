import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseSimArgs, type SimArgs } from '../cli/args';
import { CliError } from '../cli/errors';
import { stopOnSignal } from '../shutdown';

/** The line scripts and `meshscope demo` wait for; the URL follows it. */
export const SIM_READY_PREFIX = 'Simulator ready: ';

function describeStartFailure(error: unknown, args: SimArgs): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return `port ${args.port} on ${args.address ?? 'the loopback address'} is already in use; choose another with --port`;
  }
  if (code === 'EADDRNOTAVAIL') return `address ${args.address} is not available on this machine`;
  return error instanceof Error ? error.message : String(error);
}

async function loadSimulator() {
  try {
    return await import('../../sim/simulator');
  } catch (error) {
    throw new CliError(
      `The simulator (sim/simulator.ts) cannot be loaded: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** `meshscope sim`: the simulated cluster in the foreground until SIGINT/SIGTERM. */
export async function runSim(argv: string[]): Promise<void> {
  const args = parseSimArgs(argv);
  const kubeconfigDir = path.resolve(args.kubeconfigDir);
  await mkdir(kubeconfigDir, { recursive: true });
  const { startSimulator } = await loadSimulator();
  const simulator = await startSimulator({
    scenario: args.scenario,
    address: args.address,
    port: args.port,
    kubeconfigDir,
    seed: args.seed,
    services: args.services,
    namespaces: args.namespaces,
    ...(args.prometheusConfig !== undefined ? { prometheusConfig: path.resolve(args.prometheusConfig) } : {}),
  }).catch((error: unknown) => {
    throw new CliError(`Simulator failed to start: ${describeStartFailure(error, args)}`, { cause: error });
  });

  console.log(`${SIM_READY_PREFIX}${simulator.url}`);
  console.log(`Scenario "${args.scenario}". To use it with kubectl:`);
  console.log(`  export KUBECONFIG=${simulator.kubeconfigs.admin}`);
  console.log('  kubectl get vs -A');
  console.log(`Read-only user: KUBECONFIG=${simulator.kubeconfigs.viewer}`);
  if (args.prometheusConfig !== undefined) {
    console.log(
      `Prometheus: prometheus --config.file=${path.resolve(args.prometheusConfig)} --web.listen-address=127.0.0.1:9090`,
    );
  }
  console.log('Press Ctrl-C to stop.');

  stopOnSignal(async () => {
    console.log('Stopping the simulator...');
    await simulator.close();
  });
}
