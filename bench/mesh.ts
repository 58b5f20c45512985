/**
 * The simulated mesh at scale: scenario `large` (a call tree of N services across 20 namespaces,
 * 1 request per second into each root, so about N hops per simulated second), in this process.
 *
 * - start.N.*: time for startSimulator to resolve (serving certificates already on disk), the heap
 *   after a forced GC and the objects the scenario created, at 1,000 and 5,000 services;
 * - scrape.N.*: `engine.scrapeAll()` (the body of `GET /simulator/v1/metrics`) after 30 simulated
 *   seconds of traffic: time, size, series;
 * - reconfigure.N.*: tick times around one VirtualService change (the MeshConfig is rebuilt);
 * - throughput.*: `engine.tick(now, 1)` back to back for ~10 s of wall time at 1,000 services;
 * - steady.N.*: real-time traffic (one tick a second) for ~60 s while Debian's `prometheus` scrapes
 *   the simulator every 5 s with the configuration the simulator writes; the simulator's CPU and
 *   RSS, Prometheus' RSS and CPU, and what Prometheus says of its scrapes; then, Prometheus
 *   stopped, how long one scrape over HTTPS holds the simulator before its headers leave.
 *
 * Percentiles are nearest-rank. CPU is `process.cpuUsage()` (user + system), which counts V8's
 * background GC threads too, so it can exceed wall time.
 */
import { constants as bufferConstants } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { meshScrapeJob } from '../sim/prometheus-config';
import { type RunningSimulator, startSimulator } from '../sim/simulator';
import {
  prometheusAvailable,
  type RunningPrometheus,
  startPrometheus,
} from '../sim/testing/prometheus-fixture';
import type { Report } from './run';

export const description =
  'simulated mesh (large, 1k/5k services): hops per CPU second, start-up and heap, scrape cost, steady state under a real Prometheus';

const namespaces = 20;
const sizes = [1_000, 5_000];
const seed = 1;
/** services for the tick-throughput run */
const throughputServices = 1_000;
/** wall-clock milliseconds of back-to-back ticks */
const throughputMs = 10_000;
/** simulated seconds of traffic (1 s ticks) before the scrape is measured */
const trafficSeconds = 30;
/** timed `scrapeAll()` calls per size (the 5k one takes seconds and half a gigabyte) */
const scrapeRepetitions: Record<number, number> = { 1000: 3, 5000: 2 };
/** wall-clock milliseconds of real-time traffic under Prometheus, per size */
const steadyMs = 60_000;
const scrapeIntervalSeconds = 5;
/** how often RSS is sampled during the steady state */
const sampleMs = 2_500;
/** Linux USER_HZ: the unit of utime/stime in /proc/PID/stat */
const clockTicksPerSecond = 100;
const mebibyte = 2 ** 20;

export async function run(report: Report): Promise<void> {
  const gc = garbageCollector();
  report.note(`gc: ${gc.how}`);
  report.note(`V8 heap limit: ${(getHeapStatistics().heap_size_limit / mebibyte).toFixed(0)} MiB`);
  const directory = await mkdtemp(join(tmpdir(), 'meshscope-bench-mesh-'));
  try {
    // The first start in a directory creates the serving certificates (an RSA key in JavaScript,
    // seconds and random); later starts load them. Do it once here so start-up measures the mesh.
    const first = performance.now();
    const bare = await startSimulator({ scenario: 'bare', kubeconfigDir: directory, manualTraffic: true });
    await bare.close();
    report.figure('setup.certificates_and_bare_start', (performance.now() - first) / 1000, 's');

    /** hops per simulated second at each size, from the manual ticks */
    const nominal = new Map<number, number>();
    for (const services of sizes)
      nominal.set(services, await measureOffline(report, gc, directory, services));
    if (!prometheusAvailable()) {
      report.note('steady state skipped: `prometheus` is not on PATH (apt-get install prometheus)');
      return;
    }
    for (const services of sizes)
      await measureSteadyState(report, gc, directory, services, nominal.get(services) ?? Number.NaN);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Start-up, heap, scrape cost and (at `throughputServices`) tick throughput, with manual ticks.
 * Returns the hops per simulated second.
 */
async function measureOffline(
  report: Report,
  gc: GarbageCollector,
  directory: string,
  services: number,
): Promise<number> {
  const baseline = await gc.heapUsed();
  const started = performance.now();
  const simulator = await startSimulator({
    scenario: 'large',
    kubeconfigDir: directory,
    services,
    namespaces,
    seed,
    manualTraffic: true,
  });
  const startMs = performance.now() - started;
  try {
    const name = `start.${services}`;
    report.figure(`${name}.time`, startMs / 1000, 's');
    const heap = await gc.heapUsed();
    report.figure(`${name}.heap_used`, heap / mebibyte, 'MiB');
    report.figure(`${name}.heap_growth`, (heap - baseline) / mebibyte, 'MiB');
    report.figure(`${name}.rss`, process.memoryUsage.rss() / mebibyte, 'MiB');
    reportObjects(report, name, simulator);
    // The first tick builds the MeshConfig view the engine routes with (start-up does not).
    const configStarted = performance.now();
    const meshPods = simulator.engine.meshConfig().pods.length;
    report.figure(`${name}.mesh_config_build`, performance.now() - configStarted, 'ms');
    report.figure(`${name}.mesh_pods`, meshPods, 'running pods');

    let now = Date.now();
    const trafficStarted = performance.now();
    const hopsBefore = simulator.engine.requestCount;
    for (let second = 0; second < trafficSeconds; second += 1) {
      simulator.engine.tick(now, 1);
      now += 1000;
    }
    report.figure(`traffic.${services}.simulated`, trafficSeconds, 's (1 s ticks)');
    const hops = simulator.engine.requestCount - hopsBefore;
    report.figure(`traffic.${services}.hops`, hops, 'hops');
    report.figure(`traffic.${services}.wall`, (performance.now() - trafficStarted) / 1000, 's');
    report.figure(`traffic.${services}.heap_used`, (await gc.heapUsed()) / mebibyte, 'MiB');

    measureScrape(report, simulator, services);
    now = measureReconfiguration(report, simulator, services, now);
    if (services === throughputServices) {
      measureThroughput(report, simulator, now);
      // Access logs keep 500 lines per sidecar: after a few hundred ticks they are full.
      report.figure('throughput.heap_used_after', (await gc.heapUsed()) / mebibyte, 'MiB');
    }
    return hops / trafficSeconds;
  } finally {
    await simulator.close();
  }
}

function reportObjects(report: Report, name: string, simulator: RunningSimulator): void {
  const store = simulator.cluster.store;
  let total = 0;
  for (const resource of store.resources()) total += store.count(resource);
  report.figure(`${name}.objects`, total, 'objects');
  report.figure(`${name}.pods`, store.count('/pods'), 'pods');
}

/** `engine.scrapeAll()`: median time, size, series lines, and how close it is to V8's string limit. */
function measureScrape(report: Report, simulator: RunningSimulator, services: number): void {
  const name = `scrape.${services}`;
  const repetitions = scrapeRepetitions[services] ?? 3;
  const times: number[] = [];
  let text = '';
  for (let index = 0; index < repetitions; index += 1) {
    text = '';
    const started = performance.now();
    text = simulator.engine.scrapeAll();
    times.push(performance.now() - started);
  }
  const lines = lineCounts(text);
  const bytes = Buffer.byteLength(text);
  report.figure(`${name}.repetitions`, repetitions, 'scrapes');
  report.figure(`${name}.time.median`, percentile(times, 50), 'ms');
  report.figure(`${name}.time.max`, Math.max(...times), 'ms');
  report.figure(`${name}.bytes`, bytes, 'bytes');
  report.figure(`${name}.series`, lines.series, 'series lines');
  report.figure(`${name}.type_lines`, lines.types, 'lines');
  report.figure(`${name}.bytes_per_series`, bytes / Math.max(1, lines.series), 'bytes');
  report.figure(`${name}.throughput`, bytes / mebibyte / (percentile(times, 50) / 1000), 'MiB/s');
  report.figure(`${name}.v8_string_limit_used`, (text.length / bufferConstants.MAX_STRING_LENGTH) * 100, '%');

  // The TYPE-line de-duplication pass alone, replayed on the output (split, filter, join), and the
  // UTF-8 encoding the HTTP handler does before sending: the parts of a scrape that are not rendering.
  const dedupStarted = performance.now();
  const seen = new Set<string>();
  const replayed = text
    .split('\n')
    .filter((line) => {
      if (!line.startsWith('# TYPE ')) return true;
      if (seen.has(line)) return false;
      seen.add(line);
      return true;
    })
    .join('\n');
  report.figure(`${name}.dedup_pass`, performance.now() - dedupStarted, 'ms');
  if (replayed.length !== text.length) throw new Error(`${name}: the scrape repeats TYPE lines`);
  const encodeStarted = performance.now();
  Buffer.from(text, 'utf8');
  report.figure(`${name}.utf8_encode`, performance.now() - encodeStarted, 'ms');
}

function lineCounts(text: string): { series: number; types: number } {
  let series = 0;
  let types = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start) {
      if (text.charCodeAt(start) !== 35 /* # */) series += 1;
      else if (text.startsWith('# TYPE ', start)) types += 1;
    }
    start = end + 1;
  }
  return { series, types };
}

/**
 * A canary shift (one VirtualService's weights changed, as `kubectl apply` would): the next tick
 * rebuilds the engine's MeshConfig and starts with empty VirtualService and DestinationRule caches.
 * Returns the simulated time after the ticks.
 */
function measureReconfiguration(
  report: Report,
  simulator: RunningSimulator,
  services: number,
  from: number,
): number {
  const name = `reconfigure.${services}`;
  const engine = simulator.engine;
  let now = from;
  const timedTick = () => {
    const started = performance.now();
    engine.tick(now, 1);
    now += 1000;
    return performance.now() - started;
  };
  const before = Array.from({ length: 5 }, timedTick);
  const virtualService = simulator.cluster.store
    .list('networking.istio.io/virtualservices')
    .find((object) => object.metadata.namespace?.startsWith('mesh-'));
  const host = (virtualService?.spec as { hosts?: unknown[] } | undefined)?.hosts?.[0];
  if (!virtualService || typeof host !== 'string') throw new Error('the large scenario has no canary');
  simulator.cluster.apply([
    {
      ...virtualService,
      spec: {
        hosts: [host],
        http: [
          {
            route: [
              { destination: { host, subset: 'v1' }, weight: 50 },
              { destination: { host, subset: 'v2' }, weight: 50 },
            ],
          },
        ],
      },
    },
  ]);
  const first = timedTick();
  const after = Array.from({ length: 5 }, timedTick);
  report.figure(`${name}.tick_before.median`, percentile(before, 50), 'ms');
  report.figure(`${name}.first_tick_after`, first, 'ms');
  report.figure(`${name}.tick_after.median`, percentile(after, 50), 'ms');
  return now;
}

/** `engine.tick(now, 1)` back to back for `throughputMs` of wall time. */
function measureThroughput(report: Report, simulator: RunningSimulator, from: number): void {
  const engine = simulator.engine;
  let now = from;
  const tickTimes: number[] = [];
  const hopsBefore = engine.requestCount;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  while (performance.now() - started < throughputMs) {
    const tickStarted = performance.now();
    engine.tick(now, 1);
    now += 1000;
    tickTimes.push(performance.now() - tickStarted);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const hops = engine.requestCount - hopsBefore;
  report.figure('throughput.services', throughputServices, 'services');
  report.figure('throughput.ticks', tickTimes.length, 'ticks (1 simulated s each)');
  report.figure('throughput.hops', hops, 'hops');
  report.figure('throughput.hops_per_tick', hops / tickTimes.length, 'hops');
  report.figure('throughput.wall', wallSeconds, 's');
  report.figure('throughput.cpu', cpuSeconds, 's');
  report.figure('throughput.cpu_user', cpu.user / 1e6, 's');
  report.figure('throughput.hops_per_wall_second', hops / wallSeconds, 'hops/s');
  report.figure('throughput.hops_per_cpu_second', hops / cpuSeconds, 'hops/s');
  report.figure('throughput.simulated_per_wall', tickTimes.length / wallSeconds, 'simulated s per s');
  report.figure('throughput.tick.median', percentile(tickTimes, 50), 'ms');
  report.figure('throughput.tick.p95', percentile(tickTimes, 95), 'ms');
  report.figure('throughput.tick.max', Math.max(...tickTimes), 'ms');
  report.note('a hop is one request between two workloads (engine.requestCount); retries are not hops');
}

/**
 * Real-time traffic with Prometheus scraping every `scrapeIntervalSeconds`, for `steadyMs`; then,
 * with Prometheus stopped, one scrape over HTTPS from here. `nominalHops` is hops per simulated second.
 */
async function measureSteadyState(
  report: Report,
  gc: GarbageCollector,
  directory: string,
  services: number,
  nominalHops: number,
): Promise<void> {
  const name = `steady.${services}`;
  await gc.heapUsed(); // start from a collected heap: the previous size's garbage is not this one's
  const configFile = join(directory, `prometheus-${services}.yml`);
  const simulator = await startSimulator({
    scenario: 'large',
    kubeconfigDir: directory,
    services,
    namespaces,
    seed,
    prometheusConfig: configFile,
    scrapeIntervalSeconds,
  });
  let prometheus: RunningPrometheus | undefined;
  try {
    prometheus = await startPrometheus(configFile);
    const pid = prometheusPid(configFile);
    if (pid === undefined) throw new Error(`no prometheus process runs with ${configFile}`);

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const hopsBefore = simulator.engine.requestCount;
    const cpuBefore = process.cpuUsage();
    const prometheusCpuBefore = processCpuSeconds(pid);
    const started = performance.now();
    let simulatorRssMax = 0;
    let prometheusRssMax = 0;
    while (performance.now() - started < steadyMs) {
      await sleep(Math.min(sampleMs, steadyMs - (performance.now() - started)));
      simulatorRssMax = Math.max(simulatorRssMax, process.memoryUsage.rss());
      prometheusRssMax = Math.max(prometheusRssMax, residentBytes(pid));
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const prometheusCpu = processCpuSeconds(pid) - prometheusCpuBefore;
    const hops = simulator.engine.requestCount - hopsBefore;
    delay.disable();

    report.figure(`${name}.wall`, wallSeconds, 's');
    report.figure(`${name}.hops_per_second`, hops / wallSeconds, 'hops/s');
    // Below 100 %: ticks were late and the interval timer dropped them, so traffic thins out.
    report.figure(`${name}.hops_of_nominal`, (hops / wallSeconds / nominalHops) * 100, '%');
    report.figure(
      `${name}.simulator.cpu`,
      ((cpu.user + cpu.system) / 1e6 / wallSeconds) * 100,
      '% of a core',
    );
    report.figure(`${name}.simulator.rss`, process.memoryUsage.rss() / mebibyte, 'MiB');
    report.figure(`${name}.simulator.rss_max`, simulatorRssMax / mebibyte, 'MiB');
    report.figure(`${name}.simulator.event_loop_delay.p99`, delay.percentile(99) / 1e6, 'ms');
    report.figure(`${name}.simulator.event_loop_delay.max`, delay.max / 1e6, 'ms');
    report.figure(`${name}.simulator.heap_used`, (await gc.heapUsed()) / mebibyte, 'MiB');
    report.figure(`${name}.prometheus.cpu`, (prometheusCpu / wallSeconds) * 100, '% of a core');
    report.figure(`${name}.prometheus.rss`, residentBytes(pid) / mebibyte, 'MiB');
    report.figure(`${name}.prometheus.rss_max`, prometheusRssMax / mebibyte, 'MiB');
    await reportScrapes(report, name, prometheus);
    // Alone: while Prometheus scrapes, this response competes with its scrapes for the one thread.
    await prometheus.stop();
    prometheus = undefined;
    await measureHttpScrape(report, name, simulator);
  } finally {
    await prometheus?.stop();
    await simulator.close();
  }
}

/** What Prometheus recorded of its scrapes of the mesh job. */
async function reportScrapes(report: Report, name: string, prometheus: RunningPrometheus): Promise<void> {
  const job = `job="${meshScrapeJob}"`;
  const value = async (promql: string) => (await prometheus.query(promql))[0]?.value ?? Number.NaN;
  report.figure(`${name}.prometheus.up`, await value(`up{${job}}`), '(1 = last scrape succeeded)');
  report.figure(
    `${name}.prometheus.scrapes_succeeded`,
    await value(`sum_over_time(up{${job}}[1m])`),
    'in the last minute',
  );
  report.figure(
    `${name}.prometheus.scrapes_attempted`,
    await value(`count_over_time(up{${job}}[1m])`),
    'in the last minute',
  );
  report.figure(
    `${name}.prometheus.scrape_duration`,
    await value(`scrape_duration_seconds{${job}}`),
    's (last scrape)',
  );
  report.figure(
    `${name}.prometheus.scrape_duration_max`,
    await value(`max_over_time(scrape_duration_seconds{${job}}[1m])`),
    's (last minute)',
  );
  report.figure(
    `${name}.prometheus.scrape_samples_scraped`,
    await value(`scrape_samples_scraped{${job}}`),
    'samples (last scrape)',
  );
  report.figure(
    `${name}.prometheus.scrape_samples_scraped_max`,
    await value(`max_over_time(scrape_samples_scraped{${job}}[1m])`),
    'samples (last minute)',
  );
  const tsdb = (await (await fetch(`${prometheus.url}/api/v1/status/tsdb`)).json()) as {
    data?: { headStats?: { numSeries?: number } };
  };
  report.figure(`${name}.prometheus.head_series`, tsdb.data?.headStats?.numSeries ?? Number.NaN, 'series');
  const targets = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as {
    data?: { activeTargets?: { labels?: { job?: string }; lastError?: string }[] };
  };
  const target = targets.data?.activeTargets?.find((entry) => entry.labels?.job === meshScrapeJob);
  if (target?.lastError) report.note(`${name}: Prometheus' last scrape error: ${target.lastError}`);
}

/**
 * One `GET /simulator/v1/metrics` from here over HTTPS: how long the simulator's event loop is held
 * before the response headers leave (rendering, measuring and encoding the whole body all happen
 * before them). The body is not read: a client in this process would decrypt it on the server's
 * thread, which says more about that than about the server.
 */
async function measureHttpScrape(report: Report, name: string, simulator: RunningSimulator): Promise<void> {
  const viewer = simulator.users.find((user) => user.id === 'viewer');
  if (!viewer) throw new Error('the simulator has no viewer user');
  const agent = new Agent({ ca: simulator.caCertificate, keepAlive: false });
  try {
    const started = performance.now();
    const contentLength = await new Promise<number>((resolve, reject) => {
      const outgoing = request(
        new URL('/simulator/v1/metrics', simulator.url),
        { headers: { Authorization: `Bearer ${viewer.token}` }, agent },
        (response) => {
          // Cutting the body short makes the response emit `aborted` errors: expected here.
          response.on('error', () => {});
          if (response.statusCode === 200) resolve(Number(response.headers['content-length']));
          else reject(new Error(`GET /simulator/v1/metrics answered ${response.statusCode}`));
          outgoing.destroy();
        },
      );
      outgoing.on('error', (error) => {
        if (!outgoing.destroyed) reject(error);
      });
      outgoing.end();
    });
    report.figure(`${name}.http_scrape.headers`, performance.now() - started, 'ms');
    report.figure(`${name}.http_scrape.content_length`, contentLength, 'bytes');
  } finally {
    agent.destroy();
  }
}

/** The Prometheus started with `configFile` (the fixture does not expose its child's pid). */
function prometheusPid(configFile: string): number | undefined {
  const argument = `--config.file=${configFile}`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(argument)) return Number(entry);
    } catch {
      // The process ended while we looked: not ours.
    }
  }
  return undefined;
}

/** VmRSS of a process, in bytes. */
function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** utime + stime of a process, in seconds. */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, milliseconds)));
}

interface GarbageCollector {
  available: boolean;
  how: string;
  /**
   * Heap in use after a full collection (when one can be forced), in bytes. It first waits for a
   * timer: collected right after `await simulator.close()` (or after a setImmediate), a closed
   * simulator is still held by a stack root (≈220 MiB at 1,000 services after 100 ticks).
   */
  heapUsed(): Promise<number>;
}

/** `global.gc` from `--expose-gc`, or the same function enabled at run time through V8's flags. */
function garbageCollector(): GarbageCollector {
  let collect = globalThis.gc as (() => void) | undefined;
  let how = 'exposed by --expose-gc';
  if (typeof collect !== 'function') {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
      how = 'enabled at run time with v8.setFlagsFromString("--expose-gc")';
    } catch {
      collect = undefined;
      how = 'unavailable (run with NODE_OPTIONS=--expose-gc)';
    }
  }
  return {
    available: collect !== undefined,
    how,
    heapUsed: async () => {
      await sleep(0);
      collect?.();
      collect?.();
      return process.memoryUsage().heapUsed;
    },
  };
}

/** Nearest-rank percentile of `values` (unsorted), p in (0, 100]. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
