/**
 * The simulated API server under a dashboard's load, over real HTTPS on 127.0.0.1 with the
 * simulator in this process (so client and server share one thread, as in the e2e set-up):
 * creating and listing 10,000 VirtualServices (full, paged, as a Table), fanning 200 patches out
 * to 50 watchers, and the heap the simulator spends per 10,000 stored objects.
 *
 * Percentiles are nearest-rank. Times are wall-clock from request sent to the last byte received.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { istioCrds } from '../sim/istio/crds';
import { type RunningSimulator, startSimulator } from '../sim/simulator';
import type { Report } from './run';

export const description =
  'simulated API server: create/list 10k VirtualServices, watch fan-out to 50 watchers, heap per 10k objects';

/** objects created in the measured namespace */
const objectCount = 10_000;
/** requests in flight while creating */
const createConcurrency = 16;
/** coprime to objectCount: `i * stride mod objectCount` visits every index once, out of order */
const scatterStride = 7919;
/** timed repetitions of each list variant, after `listWarmups` untimed ones */
const listRepetitions = 20;
const listWarmups = 2;
const pageSize = 500;
const watcherCount = 50;
const patchCount = 200;
/** how long the watchers may take to receive every event once the last patch has answered */
const deliveryTimeoutMs = 30_000;

const namespace = 'bench-apiserver';
const collectionPath = `/apis/networking.istio.io/v1/namespaces/${namespace}/virtualservices`;
/** what kubectl sends for `kubectl get` */
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

interface ListBody {
  metadata: { resourceVersion: string; continue?: string };
  items?: { metadata: { name: string } }[];
  rows?: unknown[];
}

interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; message?: string };
}

/** A bare Kubernetes client: bearer token, the simulator's CA, keep-alive connections. */
class ApiClient {
  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly agent: Agent,
  ) {}

  /** Send a request and return its body; any status but 2xx throws. */
  send(
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string; accept?: string } = {},
  ): Promise<Buffer> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      Accept: options.accept ?? 'application/json',
    };
    if (payload !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const outgoing = request(
        new URL(path, this.url),
        { method, headers, agent: this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const body = Buffer.concat(chunks);
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(body);
            else
              reject(
                new Error(`${method} ${path} answered ${status}: ${body.toString('utf8').slice(0, 500)}`),
              );
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  async json<T>(method: string, path: string, options: Parameters<ApiClient['send']>[2] = {}): Promise<T> {
    return JSON.parse((await this.send(method, path, options)).toString('utf8')) as T;
  }
}

export async function run(report: Report): Promise<void> {
  const gc = garbageCollector();
  report.note(`gc: ${gc.how}`);
  const directory = await mkdtemp(join(tmpdir(), 'meshscope-bench-'));
  const simulator = await startSimulator({ scenario: 'bare', kubeconfigDir: directory });
  const agent = new Agent({ ca: simulator.caCertificate, keepAlive: true, maxSockets: createConcurrency });
  try {
    const admin = simulator.users[0];
    if (!admin) throw new Error('the simulator has no admin user');
    const client = new ApiClient(simulator.url, admin.token, agent);
    await installIstio(client, report);

    const heapBefore = gc.heapUsed();
    await createObjects(client, report);
    const heapAfter = gc.heapUsed();
    const jsonBytes = await measureLists(client, report);
    reportMemory(report, gc, heapBefore, heapAfter, jsonBytes);
    reportStore(report, simulator);
    await measureWatchFanOut(client, simulator, report);
  } finally {
    agent.destroy();
    await simulator.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** Istio's CRDs applied through the API, as `kubectl apply -f crd-all.gen.yaml` would. */
async function installIstio(client: ApiClient, report: Report): Promise<void> {
  const crds = istioCrds();
  for (const crd of crds)
    await client.send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd });
  report.figure('setup.crds', crds.length, 'CRDs');
  for (const name of [namespace, 'bench-warmup'])
    await client.send('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    });
  // Warm up outside the measured namespace and before the heap baseline: compile the VirtualService
  // schema validator and open every keep-alive connection.
  await client.send('POST', '/apis/networking.istio.io/v1/namespaces/bench-warmup/virtualservices', {
    body: virtualService('bench-warmup', 0),
  });
  await Promise.all(
    Array.from({ length: createConcurrency }, () => client.send('GET', `/api/v1/namespaces/${namespace}`)),
  );
}

function objectName(index: number): string {
  return `reviews-${String(index).padStart(5, '0')}`;
}

/** A VirtualService as a canary set-up has it: a header match and a weighted default route. */
function virtualService(inNamespace: string, index: number) {
  const name = objectName(index);
  const host = `${name}.${inNamespace}.svc.cluster.local`;
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, labels: { app: name, 'app.kubernetes.io/part-of': 'meshscope-bench' } },
    spec: {
      hosts: [host],
      http: httpRoutes(host, 90),
    },
  };
}

/** Testers go to v2; everyone else is split between v1 (`stableWeight` %) and v3. */
function httpRoutes(host: string, stableWeight: number) {
  return [
    {
      name: 'testers',
      match: [{ headers: { 'end-user': { exact: 'jason' } } }],
      route: [{ destination: { host, subset: 'v2' } }],
    },
    {
      name: 'default',
      route: [
        { destination: { host, subset: 'v1' }, weight: stableWeight },
        { destination: { host, subset: 'v3' }, weight: 100 - stableWeight },
      ],
    },
  ];
}

async function createObjects(client: ApiClient, report: Report): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: createConcurrency }, async () => {
      while (next < objectCount) {
        // Created out of name order, as objects arrive in a real cluster, so the server's
        // name-ordered lists cannot lean on insertion order.
        const index = (next * scatterStride) % objectCount;
        next += 1;
        const sent = performance.now();
        await client.send('POST', collectionPath, { body: virtualService(namespace, index) });
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  report.figure('objects', objectCount, 'VirtualServices');
  report.figure('create.concurrency', createConcurrency, 'requests');
  report.figure('create.throughput', objectCount / seconds, 'objects/s');
  report.figure('create.latency.median', percentile(latencies, 50), 'ms');
  report.figure('create.latency.p95', percentile(latencies, 95), 'ms');
}

/** Repeat `action` after warm-ups; report median and p95. Returns the last result. */
async function repeat<T>(report: Report, name: string, action: () => Promise<T>): Promise<T> {
  for (let index = 0; index < listWarmups; index += 1) await action();
  const times: number[] = [];
  let last: T | undefined;
  for (let index = 0; index < listRepetitions; index += 1) {
    const started = performance.now();
    last = await action();
    times.push(performance.now() - started);
  }
  report.figure(`${name}.median`, percentile(times, 50), 'ms');
  report.figure(`${name}.p95`, percentile(times, 95), 'ms');
  return last as T;
}

function expectCount(what: string, actual: number | undefined): void {
  if (actual !== objectCount) throw new Error(`${what} returned ${actual} objects, expected ${objectCount}`);
}

/** Full, paged and Table lists of the collection. Returns the full list's size in bytes. */
async function measureLists(client: ApiClient, report: Report): Promise<number> {
  report.figure('list.repetitions', listRepetitions, 'lists per variant');

  const full = await repeat(report, 'list.full', () => client.send('GET', collectionPath));
  const fullText = full.toString('utf8');
  const parseStarted = performance.now();
  const parsed = JSON.parse(fullText) as ListBody;
  const parseMs = performance.now() - parseStarted;
  expectCount('the full list', parsed.items?.length);
  report.figure('list.full.bytes', full.length, 'bytes');
  report.figure('list.full.client_parse', parseMs, 'ms');
  // A floor for the list: serialising the same items, freshly parsed and so contiguous in memory
  // (long-lived stored objects serialise slower than this).
  const floors = Array.from({ length: 5 }, () => {
    const started = performance.now();
    JSON.stringify(parsed);
    return performance.now() - started;
  });
  report.figure('list.full.stringify_floor.median', percentile(floors, 50), 'ms');

  report.figure('list.paged.page_size', pageSize, 'objects');
  const walk = await repeat(report, 'list.paged.walk', async () => {
    const names = new Set<string>();
    let pages = 0;
    let token: string | undefined;
    do {
      const query = `limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const page = await client.json<ListBody>('GET', `${collectionPath}?${query}`);
      pages += 1;
      for (const item of page.items ?? []) names.add(item.metadata.name);
      token = page.metadata.continue || undefined;
    } while (token);
    return { pages, objects: names.size };
  });
  expectCount('the paged list', walk.objects);
  report.figure('list.paged.pages', walk.pages, 'pages');
  report.note('list.paged.walk includes parsing each page (the continue token is in it); the others do not');

  const table = await repeat(report, 'list.table', () =>
    client.send('GET', collectionPath, { accept: tableAccept }),
  );
  expectCount('the Table list', (JSON.parse(table.toString('utf8')) as ListBody).rows?.length);
  report.figure('list.table.bytes', table.length, 'bytes');
  return full.length;
}

interface Watcher {
  /** `name@resourceVersion` of each MODIFIED event → when its line was complete */
  received: Map<string, number>;
  close(): void;
}

async function measureWatchFanOut(
  client: ApiClient,
  simulator: RunningSimulator,
  report: Report,
): Promise<void> {
  const admin = simulator.users[0];
  if (!admin) throw new Error('the simulator has no admin user');
  const listed = await client.json<ListBody>('GET', `${collectionPath}?limit=1`);
  const watchPath = `${collectionPath}?watch=true&resourceVersion=${listed.metadata.resourceVersion}`;
  const watchAgent = new Agent({ ca: simulator.caCertificate, keepAlive: false, maxSockets: Infinity });
  const expectedEvents = watcherCount * patchCount;
  let delivered = 0;
  let markDone: () => void = () => {};
  let fail: (error: Error) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    markDone = resolve;
    fail = reject;
  });
  // A failure may land before anything awaits `done`; it is still thrown where `done` is awaited.
  done.catch(() => {});
  const onEvent = () => {
    delivered += 1;
    if (delivered === expectedEvents) markDone();
    if (delivered > expectedEvents)
      fail(new Error(`watchers got more events than the ${expectedEvents} sent`));
  };
  const watchers = await Promise.all(
    Array.from({ length: watcherCount }, (_, index) =>
      openWatch(simulator.url, admin.token, watchAgent, watchPath, index, onEvent, fail),
    ),
  );
  try {
    report.figure('watch.watchers', watcherCount, 'watches');
    report.figure('watch.patches', patchCount, 'patches (sequential)');

    const patches: { key: string; sent: number; answered: number }[] = [];
    for (let step = 0; step < patchCount; step += 1) {
      const name = objectName((step * 37) % objectCount);
      const host = `${name}.${namespace}.svc.cluster.local`;
      const sent = performance.now();
      const patched = await client.json<{ metadata: { name: string; resourceVersion: string } }>(
        'PATCH',
        `${collectionPath}/${name}`,
        {
          contentType: 'application/merge-patch+json',
          body: {
            metadata: { annotations: { 'meshscope.dev/bench-step': String(step) } },
            spec: { http: httpRoutes(host, 1 + (step % 98)) },
          },
        },
      );
      const answered = performance.now();
      patches.push({ key: `${patched.metadata.name}@${patched.metadata.resourceVersion}`, sent, answered });
    }
    const lastAnswered = patches[patches.length - 1]?.answered ?? performance.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `watchers received ${delivered} of ${expectedEvents} events ${deliveryTimeoutMs} ms after the last patch`,
              ),
            ),
          deliveryTimeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));

    const afterResponse: number[] = [];
    const afterRequest: number[] = [];
    let lastReceived = lastAnswered;
    for (const [index, watcher] of watchers.entries()) {
      for (const patch of patches) {
        const at = watcher.received.get(patch.key);
        if (at === undefined) throw new Error(`watcher ${index} never received the event for ${patch.key}`);
        afterResponse.push(at - patch.answered);
        afterRequest.push(at - patch.sent);
        lastReceived = Math.max(lastReceived, at);
      }
    }
    const roundTrips = patches.map((patch) => patch.answered - patch.sent);
    const firstSent = patches[0]?.sent ?? 0;
    report.figure('watch.events', delivered, 'events delivered');
    report.figure('watch.patch.latency.median', percentile(roundTrips, 50), 'ms');
    report.figure('watch.delivery.median', percentile(afterResponse, 50), 'ms');
    report.figure('watch.delivery.p95', percentile(afterResponse, 95), 'ms');
    report.figure('watch.delivery.max', Math.max(...afterResponse), 'ms');
    report.figure('watch.delivery.min', Math.min(...afterResponse), 'ms');
    report.figure('watch.delivery_from_request.median', percentile(afterRequest, 50), 'ms');
    report.figure('watch.delivery_from_request.p95', percentile(afterRequest, 95), 'ms');
    report.figure('watch.delivery_from_request.max', Math.max(...afterRequest), 'ms');
    report.figure('watch.throughput', delivered / ((lastReceived - firstSent) / 1000), 'events/s');
    report.note(
      'watch.delivery: from the patch response to the event line at a watcher (below 0: the event came ' +
        'first, as the server writes events before answering); delivery_from_request: from sending the patch',
    );
  } finally {
    for (const watcher of watchers) watcher.close();
    watchAgent.destroy();
  }
}

/** Open a watch and resolve once its headers are in (the server has subscribed by then). */
function openWatch(
  url: string,
  token: string,
  agent: Agent,
  path: string,
  index: number,
  onEvent: () => void,
  fail: (error: Error) => void,
): Promise<Watcher> {
  const received = new Map<string, number>();
  let closing = false;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(path, url),
      { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, agent },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`watch ${index} answered ${response.statusCode}`));
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        let pending = '';
        response.on('data', (chunk: string) => {
          const at = performance.now();
          pending += chunk;
          let newline = pending.indexOf('\n');
          while (newline !== -1) {
            const line = pending.slice(0, newline);
            pending = pending.slice(newline + 1);
            let event: WatchEvent;
            try {
              event = JSON.parse(line) as WatchEvent;
            } catch {
              fail(new Error(`watch ${index} sent a line that is not JSON: ${line.slice(0, 200)}`));
              continue;
            }
            newline = pending.indexOf('\n');
            const { name, resourceVersion } = event.object.metadata ?? {};
            if (event.type !== 'MODIFIED' || !name || !resourceVersion) {
              fail(
                new Error(
                  `watch ${index} got an unexpected ${event.type} event: ${event.object.message ?? ''}`,
                ),
              );
              continue;
            }
            received.set(`${name}@${resourceVersion}`, at);
            onEvent();
          }
        });
        response.on('close', () => {
          if (!closing) fail(new Error(`watch ${index} ended before every event arrived`));
        });
        resolve({
          received,
          close: () => {
            closing = true;
            outgoing.destroy();
          },
        });
      },
    );
    outgoing.on('error', (error) => {
      if (!closing) {
        reject(error);
        fail(error);
      }
    });
    outgoing.end();
  });
}

function reportMemory(
  report: Report,
  gc: GarbageCollector,
  heapBefore: number,
  heapAfter: number,
  listBytes: number,
): void {
  const perObject = (heapAfter - heapBefore) / objectCount;
  report.figure('memory.heap_before', heapBefore / 2 ** 20, 'MiB');
  report.figure('memory.heap_after', heapAfter / 2 ** 20, 'MiB');
  report.figure('memory.heap_per_10k_objects', (perObject * 10_000) / 2 ** 20, 'MiB');
  report.figure('memory.heap_per_object', perObject, 'bytes');
  report.figure('memory.heap_per_json_byte', perObject / (listBytes / objectCount), 'ratio');
  report.note('memory.heap_* is the heap growth over the creates: stored objects, change log, server state');
  if (!gc.available) report.note('heap figures were taken without a forced GC: they include garbage');
}

function reportStore(report: Report, simulator: RunningSimulator): void {
  const store = simulator.cluster.store;
  let total = 0;
  for (const resource of store.resources().sort()) {
    const count = store.count(resource);
    total += count;
    if (count > 0) report.figure(`store.objects.${resource.replace(/^\//, 'core/')}`, count, 'objects');
  }
  report.figure('store.objects.total', total, 'objects');
}

interface GarbageCollector {
  available: boolean;
  how: string;
  /** heap in use after a full collection (when one can be forced), in bytes */
  heapUsed(): number;
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
    heapUsed: () => {
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
