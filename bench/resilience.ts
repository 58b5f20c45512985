import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { parseClusters } from '../lib/envoy/clusters';
import { ResourceCaches } from '../server/cache/resource-caches';
import { getConfigSnapshot } from '../server/config-snapshot';
import { PortForwardEnvoyAdmin } from '../server/envoy/admin-client';
import { type Cluster, clusterFromKubeConfig, loadKubeConfig } from '../server/kube/cluster';
import { ResilienceMonitor } from '../server/resilience';
import { DirectTelemetrySource } from '../server/telemetry/direct-source';
import type { Report } from './run';
import { startSimulatorChild } from './support';

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
  const simulator = await startSimulatorChild({ services, namespaces, directory, readyMs: simulatorReadyMs });
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
