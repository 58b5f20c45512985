import path from 'node:path';
import { parseStartArgs } from '../cli/args';
import { isLoopback } from '../cli/values';
import { applyAccessEnv, readyUrl } from '../dashboard/access';
import { ensureBuild } from '../dashboard/build';
import { applyDashboardEnv, type DashboardEnv } from '../dashboard/env';
import { checkKubeconfig } from '../dashboard/preflight';
import { listen, loadNextHandler } from '../dashboard/server';
import { PROJECT_ROOT } from '../paths';
import { stopOnSignal } from '../shutdown';

export const DASHBOARD_READY_PREFIX = 'Meshscope ready: ';

/** `meshscope start`: the dashboard alone, against the cluster of a kubeconfig. */
export async function runStart(argv: string[]): Promise<void> {
  const args = parseStartArgs(argv);
  const env: DashboardEnv = {};
  if (args.kubeconfig !== undefined) env.MESHSCOPE_KUBECONFIG = path.resolve(args.kubeconfig);
  if (args.context !== undefined) env.MESHSCOPE_CONTEXT = args.context;
  if (args.prometheus !== undefined) env.MESHSCOPE_PROMETHEUS_URL = args.prometheus;
  if (args.readOnly) env.MESHSCOPE_READ_ONLY = 'true';
  applyDashboardEnv(env);
  await checkKubeconfig(
    process.env.MESHSCOPE_KUBECONFIG || undefined,
    process.env.MESHSCOPE_CONTEXT || undefined,
  );

  const listener = await listen(args.address, args.port);
  const abort = new AbortController();
  stopOnSignal(async () => {
    console.log('Stopping Meshscope...');
    abort.abort();
    await listener.close();
  });
  await ensureBuild(PROJECT_ROOT, abort.signal);
  applyAccessEnv({ mode: args.auth, port: listener.port, allowedHosts: args.allowedHosts });
  listener.serve(await loadNextHandler({ dir: PROJECT_ROOT, address: args.address, port: listener.port }));
  if (!isLoopback(args.address)) {
    console.warn(
      `meshscope: listening on ${args.address}, not loopback: anyone who can reach this port can try to sign in (${args.auth} mode).`,
    );
  }
  console.log(`${DASHBOARD_READY_PREFIX}${readyUrl(args.address, listener.port, args.auth)}`);
}
