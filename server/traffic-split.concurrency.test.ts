/**
 * Two clients applying weights to one VirtualService as fast as they can (research W1/W2): each
 * reads the split through `GET /api/traffic-split/default/reviews`, waits 0–50 ms, and PUTs new
 * weights based on the version it read, 200 times, through the route handlers of the process
 * (configured by environment as the launcher does, talking HTTPS to the simulator). Meanwhile a
 * third writer keeps changing an unrelated annotation with unconditional merge patches, as
 * `kubectl annotate` would.
 *
 * Zero lost updates means: ordered by the versions they produced, every accepted write was based
 * on the version the previous write produced (nobody's write was overwritten unseen); the object
 * ends as the last writes left it; every refused write was answered 409 with a newer version.
 */
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '@/lib/types/api';
import type { TrafficSplit, TrafficSplitConflict, TrafficSplitResult } from '@/lib/types/traffic-split';
import { startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { signedIn } from './auth/testing';
import type { Cluster } from './kube/cluster';

// Server modules are imported after the environment names the simulator's kubeconfig (the logger
// reads the configuration when loaded).
type CachesModule = typeof import('./cache/resource-caches');
type SplitRoute = typeof import('@/app/api/traffic-split/[namespace]/[name]/route');
type SafeWrite = typeof import('./writes/safe-write');

const APPLIES_PER_CLIENT = 200;
const MAX_JITTER_MS = 50;
const ANNOTATION = 'meshscope.test/unrelated-edit';
/** how often the third writer changes its annotation, in milliseconds */
const ANNOTATION_INTERVAL_MS = 500;
const reviews = {
  group: 'networking.istio.io',
  version: 'v1',
  plural: 'virtualservices',
  kind: 'VirtualService',
  namespace: 'default',
  name: 'reviews',
};

interface Write {
  writer: string;
  /** the version the write was based on (absent for the unconditional annotation writes) */
  base?: string;
  /** the version it produced */
  result: string;
  weights?: number[];
  annotation?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two clients applying splits concurrently', () => {
  let simulator: TestSimulator;
  let admin: Cluster;
  let caches: CachesModule;
  let route: SplitRoute;
  let safeWrite: SafeWrite;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.admin;
    process.env.MESHSCOPE_LOG_LEVEL = 'error';
    const { clusterFromKubeConfig, loadKubeConfig } = await import('./kube/cluster');
    admin = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    safeWrite = await import('./writes/safe-write');
    caches = await import('./cache/resource-caches');
    route = await import('@/app/api/traffic-split/[namespace]/[name]/route');
  });
  afterAll(async () => {
    await caches?.stopResourceCaches();
    await simulator?.dispose();
  });

  const params = () => ({ params: Promise.resolve({ namespace: 'default', name: 'reviews' }) });
  const url = 'http://127.0.0.1:3000/api/traffic-split/default/reviews';

  async function read(): Promise<TrafficSplit> {
    const response = await route.GET(signedIn(url), params());
    expect(response.status).toBe(200);
    return (await response.json()) as TrafficSplit;
  }

  it('loses no update and answers every conflict with 409', async () => {
    const writes: Write[] = [];
    const conflicts: { writer: string; base: string; current: string }[] = [];
    const latencies: number[] = [];
    const unexpected: string[] = [];

    const client = async (writer: string, seed: number) => {
      let state = seed;
      const random = () => {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        return state / 2 ** 31;
      };
      for (let attempt = 0; attempt < APPLIES_PER_CLIENT; attempt++) {
        const split = await read();
        const destinations = split.routes[0]?.destinations ?? [];
        await sleep(random() * MAX_JITTER_MS);
        const first = Math.floor(random() * 101);
        const weights = destinations.map((_, position) =>
          position === 0 ? first : position === 1 ? 100 - first : 0,
        );
        const started = performance.now();
        const response = await route.PUT(
          signedIn(url, {
            method: 'PUT',
            headers: {
              'content-type': 'application/json',
              origin: 'http://127.0.0.1:3000',
              host: '127.0.0.1:3000',
            },
            body: JSON.stringify({
              resourceVersion: split.resourceVersion,
              routes: [
                {
                  index: 0,
                  weights: destinations.map((destination, position) => ({
                    host: destination.host,
                    subset: destination.subset,
                    weight: weights[position],
                  })),
                },
              ],
            }),
          }),
          params(),
        );
        latencies.push(performance.now() - started);
        if (response.status === 200) {
          const result = (await response.json()) as TrafficSplitResult;
          if (result.resourceVersion === split.resourceVersion) continue; // the same weights again: nothing written
          writes.push({ writer, base: split.resourceVersion, result: result.resourceVersion, weights });
        } else if (response.status === 409) {
          const body = (await response.json()) as ApiErrorBody;
          const current = (body.details as unknown as TrafficSplitConflict | undefined)?.current;
          if (body.code !== 'conflict:resource-version' || !current) unexpected.push(`409 ${body.code}`);
          else conflicts.push({ writer, base: split.resourceVersion, current: current.resourceVersion });
        } else {
          unexpected.push(`${response.status} ${await response.text()}`);
        }
      }
    };

    let stop = false;
    const unrelatedEditor = async () => {
      for (let count = 1; !stop; count++) {
        const patched = (await admin.custom.patchNamespacedCustomObject(
          { ...reviews, body: { metadata: { annotations: { [ANNOTATION]: String(count) } } } },
          // An unconditional JSON merge patch, as `kubectl annotate` sends.
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        )) as { metadata: { resourceVersion: string } };
        writes.push({
          writer: 'annotator',
          result: patched.metadata.resourceVersion,
          annotation: String(count),
        });
        await sleep(ANNOTATION_INTERVAL_MS);
      }
    };

    const initial = (await read()).resourceVersion;
    const editor = unrelatedEditor();
    await Promise.all([client('a', 1), client('b', 2)]);
    stop = true;
    await editor;

    expect(unexpected).toEqual([]);
    const ordered = [...writes].sort((x, y) => Number(x.result) - Number(y.result));
    // Every accepted split was based on the version right before it: no write was overwritten unseen.
    let previous = initial;
    const unseen: string[] = [];
    for (const write of ordered) {
      if (write.base !== undefined && write.base !== previous)
        unseen.push(`${write.writer} wrote ${write.result} on ${write.base}, but ${previous} was current`);
      previous = write.result;
    }
    expect(unseen).toEqual([]);
    // Every refused write was answered with a newer version than the one it was based on.
    for (const conflict of conflicts) expect(Number(conflict.current)).toBeGreaterThan(Number(conflict.base));

    const final = await safeWrite.readObject(admin, reviews);
    const last = ordered.at(-1);
    const lastSplit = [...ordered].reverse().find((write) => write.weights !== undefined);
    const lastAnnotation = [...ordered].reverse().find((write) => write.annotation !== undefined);
    expect(final.metadata.resourceVersion).toBe(last?.result);
    const finalRoute = (final.spec as { http: { route: { weight?: number }[] }[] }).http[0]?.route ?? [];
    expect(finalRoute.map((entry) => entry.weight ?? 0)).toEqual(lastSplit?.weights);
    expect((final.metadata.annotations as Record<string, string>)[ANNOTATION]).toBe(
      lastAnnotation?.annotation,
    );

    const accepted = writes.filter((write) => write.base !== undefined).length;
    const byWriter = (writer: string) => writes.filter((write) => write.writer === writer).length;
    const sorted = [...latencies].sort((x, y) => x - y);
    const percentile = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
    console.log(
      `W1: ${2 * APPLIES_PER_CLIENT} applies, ${accepted} accepted (a ${byWriter('a')}, b ${byWriter('b')}), ` +
        `${conflicts.length} answered 409, ` +
        `${writes.length - accepted} unrelated annotation writes kept; PUT p50 ${percentile(50).toFixed(1)} ms, ` +
        `p95 ${percentile(95).toFixed(1)} ms`,
    );
    expect(byWriter('a')).toBeGreaterThan(0);
    expect(byWriter('b')).toBeGreaterThan(0);
    expect(conflicts.length).toBeGreaterThan(0);
  }, 300_000);
});
