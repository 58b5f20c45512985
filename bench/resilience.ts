/**
 * What it costs to poll Envoy's `/clusters` for the resilience view, on the simulated `large`
 * mesh at about 100 and 1,000 pods (the simulator in a child process with its own event loop,
 * real-time traffic; every request a port-forward over WebSocket through the API server, as on a
 * real mesh, at most 8 at once):
 *
 * - size.N.*: one sidecar's `/clusters` answer, JSON and text, and the time to parse it. Without
 *   a Sidecar resource every proxy knows every service, so the answer grows with the mesh;
 * - all.N.*: polling every sidecar once, the naive strategy: requests and time per refresh. At
 *   1,000 pods a sample of 100 is timed and the rest extrapolated (`*_extrapolated`);
 * - bounded.N.*: Meshscope's strategy (server/resilience.ts): only the callers of the selected
 *   service (found in telemetry), one `/clusters` each plus one filtered stats request where the
 *   proxy emits the stats. The service is the one with the most calling pods. Figures: requests
 *   per refresh, the time of one poll round, and the time of a `GET /api/resilience` answer
 *   between rounds (telemetry from direct scrapes, configuration snapshot, assembly from the
 *   polled state; the background loop does the polling), medians of 5 refreshes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { V1Pod } from '@kubernetes/client-node';
import { SIM_READY_PREFIX } from '../bin/commands/sim';
import { LAUNCHER_ENTRY, PROJECT_ROOT } from '../bin/paths';
import { parseClusters } from '../lib/envoy/clusters';
import { ResourceCaches } from '../server/cache/resource-caches';
import { getConfigSnapshot } from '../server/config-snapshot';
import { PortForwardEnvoyAdmin } from '../server/envoy/admin-client';
import { type Cluster, clusterFromKubeConfig, loadKubeConfig } from '../server/kube/cluster';
import { ResilienceMonitor } from '../server/resilience';
import { DirectTelemetrySource } from '../server/telemetry/direct-source';
import type { Report } from './run';

export const description =
  'Envoy /clusters polling through port-forwards at ~100 and ~1,000 pods: every sidecar vs only the callers of one service';

const sizes = [100, 1_000];
const namespaces = 20;
const concurrency = 8;
/** pods timed when polling every sidecar at the larger size */
const sampleSize = 100;
const refreshes = 5;
const simulatorReadyMs = 120_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/** `meshscope sim --scenario large` in a child process; resolves on its ready line. */
function startSimulator(
  services: number,
  directory: string,
): Promise<{ kubeconfig: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      LAUNCHER_ENTRY,
      'sim',
      '--scenario',
      'large',
      '--services',
      String(services),
      '--namespaces',
      String(namespaces),
      '--kubeconfig-dir',
      directory,
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
      reject(new Error(`the simulator did not start: ${output.join('\n')}`));
    }, simulatorReadyMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited (${code}): ${output.slice(-20).join('\n')}`));
    });
    if (!child.stdout) throw new Error('spawn without piped stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      if (!line.startsWith(SIM_READY_PREFIX)) return;
      clearTimeout(timer);
      resolve({ kubeconfig: join(directory, 'admin.kubeconfig'), stop });
    });
  });
}

function hasSidecar(pod: V1Pod): boolean {
  return (
    pod.status?.phase === 'Running' && (pod.spec?.containers ?? []).some((c) => c.name === 'istio-proxy')
  );
}

/** The service with the most calling pods, from the simulator's call annotations. */
function busiestService(pods: V1Pod[]): { namespace: string; service: string; callers: number } {
  const callers = new Map<string, Set<string>>();
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace ?? '';
    const text = pod.metadata?.annotations?.['simulator.meshscope.io/calls'];
    if (!text) continue;
    for (const call of JSON.parse(text) as { host: string }[]) {
      const [service = '', inNamespace = namespace] = call.host.split('.');
      const key = `${inNamespace}/${service}`;
      const set = callers.get(key) ?? new Set<string>();
      set.add(`${namespace}/${pod.metadata?.name}`);
      callers.set(key, set);
    }
  }
  const [key = '/', set = new Set()] = [...callers.entries()].sort((a, b) => b[1].size - a[1].size)[0] ?? [];
  const [namespace = '', service = ''] = key.split('/');
  return { namespace, service, callers: set.size };
}

async function pollAll(admin: PortForwardEnvoyAdmin, pods: V1Pod[]): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  let bytes = 0;
  await Promise.all(
    pods.map(async (pod) => {
      const answer = await admin.get({
        namespace: pod.metadata?.namespace ?? '',
        pod: pod.metadata?.name ?? '',
        path: '/clusters',
        query: { format: 'json' },
      });
      bytes += Buffer.byteLength(answer.body);
    }),
  );
  return { ms: performance.now() - started, bytes };
}

async function measure(report: Report, services: number, directory: string): Promise<void> {
  const simulator = await startSimulator(services, directory);
  let caches: ResourceCaches | undefined;
  let source: DirectTelemetrySource | undefined;
  let monitor: ResilienceMonitor | undefined;
  try {
    const cluster: Cluster = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfig, undefined));
    const admin = new PortForwardEnvoyAdmin(cluster.kubeConfig, { concurrency, timeoutMs: 60_000 });
    const pods = (await cluster.core.listPodForAllNamespaces()).items.filter(hasSidecar);
    const N = pods.length;
    report.note(`large scenario, ${services} services: ${N} pods with a sidecar`);
    await sleep(3_000);

    const [first] = pods;
    if (!first) throw new Error('no pods');
    const target = { namespace: first.metadata?.namespace ?? '', pod: first.metadata?.name ?? '' };
    const json = await admin.get({ ...target, path: '/clusters', query: { format: 'json' } });
    const text = await admin.get({ ...target, path: '/clusters' });
    const parseStarted = performance.now();
    const parsed = parseClusters(json.body);
    report.figure(`size.${N}.clusters_per_proxy`, parsed.length, 'clusters');
    report.figure(`size.${N}.json_bytes`, Buffer.byteLength(json.body) / 1024, 'KiB');
    report.figure(`size.${N}.text_bytes`, Buffer.byteLength(text.body) / 1024, 'KiB');
    report.figure(`size.${N}.parse_json`, performance.now() - parseStarted, 'ms');

    // Every sidecar, the naive way.
    const sample = N > sampleSize * 2 ? pods.slice(0, sampleSize) : pods;
    const all = await pollAll(admin, sample);
    report.figure(`all.${N}.requests_per_refresh`, N, 'requests');
    const scale = N / sample.length;
    const suffix = scale > 1 ? '_extrapolated' : '';
    if (scale > 1)
      report.note(
        `all.${N}: ${sample.length} pods timed, ${all.ms.toFixed(0)} ms, scaled by ${scale.toFixed(1)}`,
      );
    report.figure(`all.${N}.seconds_per_refresh${suffix}`, (all.ms * scale) / 1000, 's');
    report.figure(`all.${N}.megabytes_per_refresh${suffix}`, (all.bytes * scale) / 2 ** 20, 'MiB');

    // Only the callers of one service, as the resilience view polls.
    const busiest = busiestService(pods);
    report.note(`bounded.${N}: ${busiest.namespace}/${busiest.service}, ${busiest.callers} calling pods`);
    caches = new ResourceCaches(cluster);
    source = new DirectTelemetrySource(cluster, { intervalMs: 1_000 });
    const live = new ResilienceMonitor(
      {
        admin,
        snapshot: (names) => getConfigSnapshot(names, { caches }),
        telemetry: async () => source as DirectTelemetrySource,
      },
      // The default interval: answers 1.1 s apart mostly fall between two rounds.
      { intervalMs: 5_000 },
    );
    monitor = live;
    const query = { namespace: busiest.namespace, service: busiest.service, windowSeconds: 60 };
    let answer = await live.get(query);
    // Until telemetry names the calling pods (a canary's low rate takes a few scrapes to show).
    const complete = () =>
      answer.polling.callersFrom === 'telemetry' && answer.polling.polled >= busiest.callers;
    for (let attempt = 0; attempt < 15 && !complete(); attempt += 1) {
      await sleep(1_000);
      answer = await live.get(query);
    }
    report.note(
      `bounded.${N}: callers from ${answer.polling.callersFrom}, ${answer.polling.polled} pods polled`,
    );
    const totals: number[] = [];
    const polls: number[] = [];
    for (let refresh = 0; refresh < refreshes; refresh += 1) {
      await live.settled();
      await sleep(1_100);
      const started = performance.now();
      answer = await live.get(query);
      totals.push(performance.now() - started);
      // One round as the poller sends it: /clusters, and the filtered stats where enabled.
      const pollStarted = performance.now();
      await Promise.all(
        answer.callers.flatMap((caller) => {
          const pod = { namespace: caller.pod.namespace, pod: caller.pod.name };
          return [
            admin.get({ ...pod, path: '/clusters', query: { format: 'json' } }),
            ...(caller.statsEnabled
              ? [admin.get({ ...pod, path: '/stats/prometheus', query: { filter: 'outlier_detection' } })]
              : []),
          ];
        }),
      );
      polls.push(performance.now() - pollStarted);
    }
    report.figure(`bounded.${N}.requests_per_refresh`, answer.polling.requestsPerRound, 'requests');
    report.figure(`bounded.${N}.callers_polled`, answer.polling.polled, 'pods');
    report.figure(`bounded.${N}.poll_round_ms`, median(polls), 'ms');
    report.figure(`bounded.${N}.answer_between_polls_ms`, median(totals), 'ms');
    report.figure(
      `bounded.${N}.requests_per_minute_at_5s`,
      (answer.polling.requestsPerRound * 60) / 5,
      'requests',
    );
  } finally {
    monitor?.close();
    source?.close();
    await caches?.stop();
    await simulator.stop();
  }
}

export async function run(report: Report): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'meshscope-bench-resilience-'));
  try {
    for (const services of sizes) await measure(report, services, directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
