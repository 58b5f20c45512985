/**
 * Records the graph builder's fixtures (lib/graph/fixtures/*.json) from the real simulator: starts
 * a scenario with manual traffic, drives a warm-up and then a fixed window of one-second ticks on
 * a fixed clock and seed, scrapes every sidecar's `:15020/stats/prometheus` through the API
 * server's pod proxy before and after the window (as the direct telemetry source does), turns the
 * counter deltas into a TelemetrySnapshot, and reads the scenario's objects into a ConfigSnapshot.
 *
 *     npm exec -- tsx sim/testing/record-graph-fixtures.ts            # every fixture
 *     npm exec -- tsx sim/testing/record-graph-fixtures.ts bookinfo   # one
 *
 * Rates, the reporter chosen per request and the samples are computed with lib/telemetry (the
 * counters window, `buildSamples` with every sidecar's reports, as Prometheus has them), so the
 * fixtures hold what the dashboard's telemetry sources hand the graph builder. JSON cannot hold
 * Infinity: the `+Inf` bucket's `le` is written as null (the fixtures' loader restores it).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTextFormat } from '../../lib/prometheus/text-format';
import { CounterWindow } from '../../lib/telemetry/counters';
import { readCounters, type ScrapedCounters, toRateSeries } from '../../lib/telemetry/exposition';
import { everyReporterScope } from '../../lib/telemetry/reporters';
import { buildSamples } from '../../lib/telemetry/samples';
import type { RateSeries } from '../../lib/telemetry/series';
import type {
  ConfigSnapshot,
  IstioKind,
  IstioObject,
  PodInfo,
  WorkloadInfo,
} from '../../lib/types/mesh-config';
import type { TelemetrySnapshot } from '../../lib/types/telemetry';
import type { KubeObject } from '../cluster/types';
import { fullyQualified, toMeshPod } from '../mesh/mesh-config';
import { hasSidecar } from '../mesh/pods';
import { simulatorRequest } from './cluster-client';
import { startTestSimulator, type TestSimulator } from './simulator-fixture';

interface Recording {
  scenario: string;
  namespaces: string[];
  seed: number;
  warmUpSeconds: number;
  windowSeconds: number;
}

const recordings: Recording[] = [
  { scenario: 'bookinfo', namespaces: ['default'], seed: 7, warmUpSeconds: 10, windowSeconds: 60 },
  { scenario: 'chaos', namespaces: ['default', 'legacy'], seed: 7, warmUpSeconds: 30, windowSeconds: 60 },
];

/** 2026-01-01T00:00:00Z: a fixed clock keeps the recordings reproducible. */
const clockStart = Date.UTC(2026, 0, 1);

const istioKinds: Record<string, IstioKind> = {
  'networking.istio.io/virtualservices': 'VirtualService',
  'networking.istio.io/destinationrules': 'DestinationRule',
  'networking.istio.io/gateways': 'Gateway',
  'networking.istio.io/serviceentries': 'ServiceEntry',
  'networking.istio.io/sidecars': 'Sidecar',
  'networking.istio.io/envoyfilters': 'EnvoyFilter',
  'networking.istio.io/workloadentries': 'WorkloadEntry',
  'security.istio.io/peerauthentications': 'PeerAuthentication',
  'security.istio.io/requestauthentications': 'RequestAuthentication',
  'security.istio.io/authorizationpolicies': 'AuthorizationPolicy',
  'telemetry.istio.io/telemetries': 'Telemetry',
};

/** Rates rounded to 0.0001/s keep the files small and diffs readable. */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function configSnapshot(simulator: TestSimulator, asOf: string): ConfigSnapshot {
  const store = simulator.cluster.store;
  const pods = store
    .list('/pods')
    .map((pod) => ({ pod, mesh: toMeshPod(pod) }))
    .filter((entry) => entry.mesh !== undefined);
  const workloads: WorkloadInfo[] = store.list('apps/deployments').map((deployment) => {
    const namespace = deployment.metadata.namespace ?? '';
    const name = deployment.metadata.name ?? '';
    const spec = deployment.spec as {
      replicas?: number;
      template: { metadata?: { labels?: Record<string, string> }; spec?: { serviceAccountName?: string } };
    };
    const labels = spec.template.metadata?.labels ?? {};
    const own = pods.filter((entry) => entry.mesh?.namespace === namespace && entry.mesh.workload === name);
    const status = (deployment.status ?? {}) as { readyReplicas?: number };
    return {
      namespace,
      name,
      kind: 'Deployment',
      app: labels.app ?? labels['app.kubernetes.io/name'] ?? name,
      version: labels.version ?? labels['app.kubernetes.io/version'] ?? '',
      labels,
      serviceAccount: spec.template.spec?.serviceAccountName ?? 'default',
      desiredReplicas: spec.replicas ?? 1,
      readyReplicas: status.readyReplicas ?? own.length,
      pods: own.length,
      sidecar: own.length > 0 && own.every((entry) => hasSidecar(entry.pod)),
      outlierStatsEnabled: own.some((entry) =>
        (entry.pod.metadata.annotations?.['proxy.istio.io/config'] ?? '').includes('outlier_detection'),
      ),
    };
  });
  const services = store.list('/services').map((service) => {
    const namespace = service.metadata.namespace ?? '';
    const name = service.metadata.name ?? '';
    const spec = service.spec as {
      selector?: Record<string, string>;
      ports?: { name?: string; port: number; targetPort?: number; protocol?: string }[];
    };
    return {
      namespace,
      name,
      fqdn: fullyQualified(name, namespace),
      selector: spec.selector ?? {},
      ports: (spec.ports ?? []).map((port) => ({
        name: port.name ?? '',
        port: port.port,
        targetPort: typeof port.targetPort === 'number' ? port.targetPort : port.port,
        protocol: port.protocol ?? 'TCP',
      })),
      labels: service.metadata.labels ?? {},
    };
  });
  const istio: IstioObject[] = Object.entries(istioKinds).flatMap(([key, kind]) =>
    store.list(key).map((object: KubeObject) => ({
      kind,
      namespace: object.metadata.namespace ?? '',
      name: object.metadata.name ?? '',
      apiVersion: object.apiVersion ?? '',
      resourceVersion: object.metadata.resourceVersion ?? '',
      labels: object.metadata.labels ?? {},
      annotations: object.metadata.annotations ?? {},
      spec: (object.spec ?? {}) as Record<string, unknown>,
    })),
  );
  const podInfos: PodInfo[] = pods.flatMap(({ pod, mesh }) =>
    mesh
      ? [
          {
            namespace: mesh.namespace,
            name: mesh.name,
            labels: pod.metadata.labels ?? {},
            // Left out to keep the files small: the graph reads no pod annotations.
            annotations: {},
            serviceAccount: mesh.serviceAccount,
            phase: 'Running',
            podIP: mesh.ip,
            containers: ((pod.spec as { containers?: { name: string }[] }).containers ?? []).map(
              (container) => container.name,
            ),
            sidecar: mesh.sidecar,
            workload: mesh.workload,
          },
        ]
      : [],
  );
  return {
    namespaces: store.list('/namespaces').map((namespace) => ({
      name: namespace.metadata.name ?? '',
      labels: namespace.metadata.labels ?? {},
    })),
    services,
    workloads,
    pods: podInfos,
    istio,
    rootNamespace: 'istio-system',
    asOf,
  };
}

/** Every sidecar's series, labelled with the pod that exposed them (as a scrape job's target labels do). */
/** Every sidecar's counters, read from its `:15020/stats/prometheus` through the pod proxy. */
async function scrapeMesh(simulator: TestSimulator): Promise<Map<string, ScrapedCounters>> {
  const pods = simulator.cluster.store.list('/pods').filter(hasSidecar);
  const scraped = await Promise.all(
    pods.map(async (pod) => {
      const target = `${pod.metadata.namespace}/${pod.metadata.name}`;
      const response = await simulatorRequest(
        simulator,
        `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}:15020/proxy/stats/prometheus`,
      );
      if (response.status !== 200) throw new Error(`scrape of ${target} answered ${response.status}`);
      return [target, readCounters(parseTextFormat(response.body))] as const;
    }),
  );
  return new Map(scraped);
}

/** Rates of every pod's counters between two scrapes, as the direct telemetry source computes them. */
function rateSeries(
  before: Map<string, ScrapedCounters>,
  after: Map<string, ScrapedCounters>,
  start: number,
  end: number,
): RateSeries[] {
  return [...after].flatMap(([target, counters]) => {
    const window = new CounterWindow(2);
    window.add(start, before.get(target)?.values ?? new Map());
    window.add(end, counters.values);
    const rates = window.rates(start);
    return rates ? toRateSeries(rates.rates, counters.series) : [];
  });
}

function telemetrySnapshot(series: RateSeries[], recording: Recording, timestamp: string): TelemetrySnapshot {
  const samples = buildSamples(series, everyReporterScope(recording.namespaces));
  return {
    source: 'direct',
    timestamp,
    windowSeconds: recording.windowSeconds,
    requests: samples.requests.map((sample) => ({ ...sample, rate: round(sample.rate) })),
    durations: samples.durations.map((sample) => ({
      ...sample,
      buckets: sample.buckets.map((bucket) => ({ le: bucket.le, rate: round(bucket.rate) })),
    })),
    throughput: samples.throughput.map((sample) => ({
      ...sample,
      sentBytesPerSecond: round(sample.sentBytesPerSecond),
      receivedBytesPerSecond: round(sample.receivedBytesPerSecond),
    })),
    warnings: [],
  };
}

async function record(recording: Recording, directory: string): Promise<string> {
  const simulator = await startTestSimulator({
    scenario: recording.scenario,
    manualTraffic: true,
    seed: recording.seed,
  });
  try {
    let now = clockStart;
    const run = (seconds: number) => {
      for (let second = 0; second < seconds; second += 1) {
        now += 1000;
        simulator.engine.tick(now, 1);
      }
    };
    run(recording.warmUpSeconds);
    const start = now;
    const before = await scrapeMesh(simulator);
    run(recording.windowSeconds);
    const after = await scrapeMesh(simulator);
    const timestamp = new Date(now).toISOString();
    const series = rateSeries(before, after, start, now);
    const fixture = {
      comment:
        `Recorded by sim/testing/record-graph-fixtures.ts from the simulator's '${recording.scenario}' ` +
        `scenario (seed ${recording.seed}): ${recording.warmUpSeconds} s warm-up, then rates over ` +
        `${recording.windowSeconds} s of one-second ticks from sidecar scrapes. Re-record with ` +
        '`npm exec -- tsx sim/testing/record-graph-fixtures.ts`.',
      scenario: recording.scenario,
      namespaces: recording.namespaces,
      telemetry: telemetrySnapshot(series, recording, timestamp),
      config: configSnapshot(simulator, timestamp),
    };
    const path = join(directory, `${recording.scenario}.json`);
    // Compact here; `biome format` then lays it out within the line width.
    await writeFile(path, `${JSON.stringify(fixture)}\n`);
    return path;
  } finally {
    await simulator.dispose();
  }
}

const wanted = process.argv.slice(2);
const directory = join(import.meta.dirname, '..', '..', 'lib', 'graph', 'fixtures');
for (const recording of recordings) {
  if (wanted.length > 0 && !wanted.includes(recording.scenario)) continue;
  const path = await record(recording, directory);
  console.log(`wrote ${path}`);
}
