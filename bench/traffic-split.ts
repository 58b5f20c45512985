/**
 * The traffic-split editor's loop, end to end on the demo (bookinfo, live traffic at 10 requests per
 * second into the ingress, direct sidecar scraping every 5 s): the dashboard runs as `meshscope
 * demo` in a child process and is driven over HTTP as the browser drives it.
 *
 * Each round applies a new reviews split (80/20/0, 20/0/80, 0/80/20, ... over v1/v2/v3) with
 * `PUT /api/traffic-split/default/reviews` and measures, from the moment the PUT is sent:
 *
 * - apply.*: until the PUT answers (dry run + preconditioned patch + the new view);
 * - object.*: until the Kubernetes API serves the patched object (a GET every 5 ms);
 * - cache.*: until the dashboard's own cache shows it (`GET /api/traffic-split`, every 20 ms);
 * - graph.W.*: until `GET /api/graph?duration=W` shows every reviews edge within 5 points of the
 *   new split on two polls in a row (a poll a second), for the 10 s window and the page's default
 *   60 s window. Two polls, because at 10 rps a 10 s window alone wanders by ±4 points.
 *
 * Percentiles are nearest-rank over the rounds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { DASHBOARD_READY_PREFIX } from '../bin/commands/start';
import { LAUNCHER_ENTRY, PROJECT_ROOT } from '../bin/paths';
import type { GraphResponse } from '../lib/types/graph';
import type { TrafficSplit, TrafficSplitList, TrafficSplitResult } from '../lib/types/traffic-split';
import type { Report } from './run';
import { DASHBOARD_AUTHORIZATION, dashboardOrigin, demoEnvironment, freePort } from './support';

export const description =
  'traffic split on the demo: apply → patched object, → dashboard cache, → graph API showing the new split (10 s and 60 s windows)';

const SUBSETS = ['v1', 'v2', 'v3'] as const;
/** The splits applied in turn (v1/v2/v3), each far from the one before. */
const SPLITS = [
  [80, 20, 0],
  [20, 0, 80],
  [0, 80, 20],
  [50, 50, 0],
  [0, 20, 80],
];
/** Rounds measured with the 10 s window (the 60 s window gets one, it takes over a minute). */
const SHORT_WINDOW_ROUNDS = 4;
const TOLERANCE_POINTS = 5;
const GRAPH_POLL_MS = 1_000;
const GRAPH_TIMEOUT_MS = 180_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Demo {
  url: string;
  child: ChildProcess;
  kubeconfig: string;
}

async function startDemo(): Promise<Demo> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', LAUNCHER_ENTRY, 'demo', '--port', String(port)], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: demoEnvironment({ MESHSCOPE_LOG_LEVEL: 'warn' }),
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the demo printed no ready line within 5 minutes')),
      300_000,
    );
    child.once('exit', (code) => reject(new Error(`the demo exited with code ${code} before it was ready`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith(DASHBOARD_READY_PREFIX)) return;
      clearTimeout(timer);
      resolve(dashboardOrigin(line.slice(DASHBOARD_READY_PREFIX.length).trim()));
    });
    child.stderr?.resume();
  });
  return {
    url,
    child,
    kubeconfig: path.join(PROJECT_ROOT, '.meshscope', `demo-${port}`, 'admin.kubeconfig'),
  };
}

async function stopDemo(demo: Demo): Promise<void> {
  if (demo.child.exitCode !== null) return;
  const exited = new Promise((resolve) => demo.child.once('exit', resolve));
  demo.child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { ...DASHBOARD_AUTHORIZATION, ...(init?.headers as Record<string, string> | undefined) },
  });
  if (!response.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** Polls `check` every `intervalMs` until it is true; milliseconds from `start`. */
async function until(
  start: number,
  intervalMs: number,
  timeoutMs: number,
  check: () => Promise<boolean>,
): Promise<number> {
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

type Weights = Record<(typeof SUBSETS)[number], number>;

function storedWeights(route: { destination: { subset?: string }; weight?: number }[]): Partial<Weights> {
  return Object.fromEntries(route.map((entry) => [entry.destination.subset ?? '', entry.weight ?? 0]));
}

function matches(target: number[], found: Partial<Weights>): boolean {
  return SUBSETS.every((subset, position) => (found[subset] ?? 0) === target[position]);
}

/** reviews → reviews vN shares (percent of the service node's requests), 0 where no edge. */
function graphShares(graph: GraphResponse): Weights {
  const shares: Weights = { v1: 0, v2: 0, v3: 0 };
  for (const edge of graph.edges) {
    if (edge.source !== 'svc:default:reviews') continue;
    const subset = SUBSETS.find((candidate) => edge.target === `vapp:default:reviews:${candidate}`);
    if (subset) shares[subset] += edge.percentOfSource;
  }
  return shares;
}

export async function run(report: Report): Promise<void> {
  report.note('starting `meshscope demo` (builds the dashboard first if the build is stale)');
  const demo = await startDemo();
  try {
    const config = new KubeConfig();
    config.loadFromFile(demo.kubeconfig);
    const api = config.makeApiClient(CustomObjectsApi);
    const reviews = {
      group: 'networking.istio.io',
      version: 'v1',
      plural: 'virtualservices',
      namespace: 'default',
      name: 'reviews',
    };
    const apiUrl = `${demo.url}/api/traffic-split/default/reviews`;
    // Let sidecar scraping start and collect a first window before measuring.
    for (const duration of ['10s', '60s'])
      await json<GraphResponse>(
        `${demo.url}/api/graph?namespaces=default&graphType=versionedApp&duration=${duration}`,
      );
    await sleep(15_000);

    const figures = {
      apply: [] as number[],
      object: [] as number[],
      cache: [] as number[],
      graph10: [] as number[],
      graph60: [] as number[],
    };
    const rounds = SPLITS.slice(0, SHORT_WINDOW_ROUNDS + 1);
    for (const [round, target] of rounds.entries()) {
      const duration = round < SHORT_WINDOW_ROUNDS ? 10 : 60;
      const split = await json<TrafficSplit>(apiUrl);
      const route = split.routes.find((candidate) => candidate.protocol === 'http');
      if (!route) throw new Error('reviews has no HTTP route');
      const destinations = [...route.destinations, ...route.candidates];
      const weights = destinations.map((destination) => ({
        host: destination.host,
        ...(destination.subset !== undefined ? { subset: destination.subset } : {}),
        weight: target[SUBSETS.indexOf(destination.subset as (typeof SUBSETS)[number])] ?? 0,
      }));
      const inRoute = route.destinations.length;
      const body = {
        resourceVersion: split.resourceVersion,
        routes: [
          {
            index: route.index,
            weights: weights.filter((entry, position) => position < inRoute || entry.weight > 0),
          },
        ],
      };
      const start = performance.now();
      const object = until(start, 5, 30_000, async () => {
        const stored = (await api.getNamespacedCustomObject(reviews)) as {
          spec: { http: { route: { destination: { subset?: string }; weight?: number }[] }[] };
        };
        return matches(target, storedWeights(stored.spec.http[route.index]?.route ?? []));
      });
      const cache = until(start, 20, 30_000, async () => {
        const list = await json<TrafficSplitList>(`${demo.url}/api/traffic-split?namespace=default`);
        const item = list.items.find((candidate) => candidate.name === 'reviews');
        const cached = item?.routes.find((candidate) => candidate.index === route.index)?.destinations ?? [];
        return matches(target, Object.fromEntries(cached.map((d) => [d.subset ?? '', d.weight])));
      });
      await json<TrafficSplitResult>(apiUrl, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      figures.apply.push(performance.now() - start);
      figures.object.push(await object);
      figures.cache.push(await cache);
      let inARow = 0;
      const graph = await until(start, GRAPH_POLL_MS, GRAPH_TIMEOUT_MS, async () => {
        const answer = await json<GraphResponse>(
          `${demo.url}/api/graph?namespaces=default&graphType=versionedApp&duration=${duration}s`,
        );
        const shares = graphShares(answer);
        const close = SUBSETS.every(
          (subset, position) => Math.abs(shares[subset] - (target[position] ?? 0)) <= TOLERANCE_POINTS,
        );
        inARow = close ? inARow + 1 : 0;
        return inARow >= 2;
      });
      (duration === 10 ? figures.graph10 : figures.graph60).push(graph);
      report.note(
        `round ${round + 1}: ${target.join('/')} (v1/v2/v3), window ${duration} s: apply ${figures.apply.at(-1)?.toFixed(0)} ms, ` +
          `object ${figures.object.at(-1)?.toFixed(0)} ms, cache ${figures.cache.at(-1)?.toFixed(0)} ms, graph ${(graph / 1000).toFixed(1)} s`,
      );
    }

    report.figure('rounds', rounds.length, 'applies');
    for (const [name, values] of [
      ['apply', figures.apply],
      ['object', figures.object],
      ['cache', figures.cache],
    ] as const) {
      report.figure(`${name}.p50`, percentile(values, 50), 'ms');
      report.figure(`${name}.max`, Math.max(...values), 'ms');
    }
    report.figure('graph.10s.p50', percentile(figures.graph10, 50) / 1000, 's');
    report.figure('graph.10s.max', Math.max(...figures.graph10) / 1000, 's');
    report.figure('graph.60s', (figures.graph60[0] ?? Number.NaN) / 1000, 's');
    report.note(
      'graph.* include the second confirming poll (1 s); sidecars are scraped every 5 s, traffic ticks every 1 s',
    );
  } finally {
    await stopDemo(demo);
  }
}
