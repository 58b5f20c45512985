/**
 * The caches against the simulated cluster over real HTTPS: sync, live changes, 410 relists,
 * dropped watches, an API server that stops and comes back, and throttling.
 */
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorRequest } from '../../sim/testing/cluster-client';
import { eventually, startTestSimulator, type TestSimulator } from '../../sim/testing/simulator-fixture';
import { clusterFromKubeConfig, loadKubeConfig } from '../kube/cluster';
import { getMetricsRegistry } from '../metrics';
import { CACHE_KINDS } from './kinds';
import type { CachedIstioObject, CachedPod } from './projections';
import { ResourceCaches } from './resource-caches';

const vs = { group: 'networking.istio.io', version: 'v1', namespace: 'default', plural: 'virtualservices' };
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function weightsOf(object: CachedIstioObject | undefined): number[] {
  const http = (object?.spec.http ?? []) as { route?: { weight?: number }[] }[];
  return (http[0]?.route ?? []).map((route) => route.weight ?? 0);
}

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await getMetricsRegistry().getSingleMetric(name)?.get();
  const matches = (metric?.values ?? []).filter((value) =>
    Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
  );
  return matches.reduce((sum, value) => sum + value.value, 0);
}

describe('resource caches on bookinfo', () => {
  let simulator: TestSimulator;
  let caches: ResourceCaches;
  let custom: CustomObjectsApi;

  /** Every cache synced with its watch open (after a clean end, client-node re-watches after up to 1 s). */
  const allWatching = () =>
    eventually(
      () =>
        caches.statuses().every((status) => status.state === 'synced') &&
        simulator.openWatches() === CACHE_KINDS.length
          ? true
          : undefined,
      10_000,
      'every cache to watch',
    );

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
    const kubeConfig = loadKubeConfig(simulator.kubeconfigs.admin, undefined);
    custom = kubeConfig.makeApiClient(CustomObjectsApi);
    caches = new ResourceCaches(clusterFromKubeConfig(kubeConfig), {
      backoff: { baseMs: 300, capMs: 2_000 },
    });
  });
  afterAll(async () => {
    await caches?.stop();
    await simulator?.dispose();
  });

  it('syncs every kind, secrets never among them, with objects projected', async () => {
    const started = Date.now();
    const { settled, warnings } = await caches.ready(10_000);
    expect(settled).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(warnings).toEqual([]);
    expect(CACHE_KINDS).not.toContain('secrets');
    for (const status of caches.statuses()) {
      expect(status, status.resource).toMatchObject({ state: 'synced', stale: false });
      expect(status.syncedAt).toBeDefined();
    }
    const objects = Object.fromEntries(caches.statuses().map((status) => [status.resource, status.objects]));
    expect(objects.namespaces).toBeGreaterThanOrEqual(2);
    expect(objects.deployments).toBeGreaterThanOrEqual(6);
    expect(objects.virtualservices).toBeGreaterThanOrEqual(4);
    expect(objects.pods).toBe(caches.cache('pods').list().length);
    expect(caches.statuses().find((status) => status.resource === 'virtualservices')?.apiVersion).toBe(
      'networking.istio.io/v1',
    );

    const pod = caches
      .cache('pods')
      .list('default')
      .find((candidate) => candidate.metadata.labels.app === 'reviews');
    expect(pod).toBeDefined();
    const projected = pod as CachedPod;
    expect(Object.keys(projected.metadata.annotations).sort()).toEqual(
      expect.arrayContaining(['proxy.istio.io/config', 'sidecar.istio.io/status']),
    );
    expect(projected.metadata).not.toHaveProperty('managedFields');
    expect(projected.spec.containers.map((container) => container.name)).toContain('istio-proxy');
    expect(projected.spec.serviceAccountName).toBe('bookinfo-reviews');
    expect(projected.metadata.ownerReferences[0]?.kind).toBe('ReplicaSet');
    expect(projected.status).toMatchObject({ phase: 'Running', ready: true });
    expect(projected.status.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(JSON.stringify(caches.cache('virtualservices').list())).not.toContain('managedFields');
  });

  it('sees a VirtualService change within a second', async () => {
    await caches.ready();
    const before = caches.cache('virtualservices').get('reviews', 'default');
    const http = (before?.spec.http ?? []) as { route: { destination: unknown; weight?: number }[] }[];
    const first = http[0];
    expect(first?.route.length).toBe(2);
    const changed = (first?.route ?? []).map((entry, index) => ({ ...entry, weight: index === 0 ? 80 : 20 }));
    const sent = Date.now();
    await custom.patchNamespacedCustomObject(
      {
        ...vs,
        name: 'reviews',
        body: { spec: { http: [{ ...first, route: changed }, ...http.slice(1)] } },
      },
      mergePatch,
    );
    const seen = await eventually(() => {
      const weights = weightsOf(caches.cache('virtualservices').get('reviews', 'default'));
      return weights[0] === 80 ? Date.now() : undefined;
    }, 5_000);
    expect(seen - sent).toBeLessThan(1_000);
    expect(
      caches.statuses().find((status) => status.resource === 'virtualservices')?.lastEventAt,
    ).toBeDefined();
  });

  it('relists after 410 Gone and picks up what changed meanwhile', async () => {
    await caches.ready();
    const relistsBefore = caches.cache('virtualservices').status().relists;
    simulator.endWatches();
    simulator.cluster.operations.create(
      simulator.cluster.type('networking.istio.io', 'virtualservices'),
      'default',
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'across-gone', namespace: 'default' },
        spec: { hosts: ['ratings'], http: [{ route: [{ destination: { host: 'ratings', subset: 'v1' } }] }] },
      },
    );
    simulator.cluster.store.compact();
    await eventually(
      () => caches.cache('virtualservices').get('across-gone', 'default'),
      15_000,
      'the VS made across a 410',
    );
    expect(caches.cache('virtualservices').status().relists).toBeGreaterThan(relistsBefore);
    expect(
      await metricValue('meshscope_kube_cache_relists_total', { resource: 'virtualservices' }),
    ).toBeGreaterThan(0);
  });

  it('reports stale when watches are cut, then recovers on its own', async () => {
    await allWatching();
    const restartsBefore = caches.cache('pods').status().restarts;
    simulator.resetWatches();
    const stale = await eventually(
      () => caches.statuses().find((status) => status.stale),
      5_000,
      'a stale cache',
    );
    expect(stale.staleSince).toBeDefined();
    expect(caches.warnings()[0]?.message).toMatch(/stale since .* ago/);
    await eventually(
      () =>
        caches.statuses().every((status) => status.state === 'synced' && !status.stale) ? true : undefined,
      10_000,
      'every cache to be synced again',
    );
    expect(caches.cache('pods').status().restarts).toBeGreaterThan(restartsBefore);
    expect(caches.warnings()).toEqual([]);
    // Still live after the restart.
    await custom.patchNamespacedCustomObject(
      { ...vs, name: 'ratings', body: { metadata: { labels: { after: 'reset' } } } },
      mergePatch,
    );
    await eventually(() => caches.cache('virtualservices').get('ratings', 'default')?.metadata.labels.after);
  });

  it('keeps serving stale data while the API server is down, and catches up when it is back', async () => {
    await allWatching();
    const podsBefore = caches.cache('pods').list().length;
    await simulator.stop();
    const statuses = await eventually(
      () => {
        const all = caches.statuses();
        return all.every((status) => status.state === 'stale') ? all : undefined;
      },
      5_000,
      'every cache to be stale',
    );
    for (const status of statuses) expect(status.staleSince, status.resource).toBeDefined();
    expect(caches.cache('pods').list()).toHaveLength(podsBefore);
    const [warning] = caches.warnings();
    expect(warning?.message).toMatch(
      /^Lost the connection to the Kubernetes API: data is stale since .* ago\); reconnecting \(Cannot reach/,
    );
    expect(await metricValue('meshscope_kube_cache_stale', { resource: 'pods' })).toBe(1);

    // A change made while the dashboard cannot see the cluster.
    simulator.cluster.operations.create(
      simulator.cluster.type('networking.istio.io', 'virtualservices'),
      'default',
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'while-down', namespace: 'default' },
        spec: { hosts: ['details'], http: [{ route: [{ destination: { host: 'details', subset: 'v1' } }] }] },
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await simulator.restart();
    await eventually(
      () =>
        caches.statuses().every((status) => status.state === 'synced' && !status.stale) ? true : undefined,
      15_000,
      'every cache to be synced after the restart',
    );
    await eventually(
      () => caches.cache('virtualservices').get('while-down', 'default'),
      5_000,
      'the VS made while down',
    );
    expect(await metricValue('meshscope_kube_cache_stale', { resource: 'pods' })).toBe(0);
    expect(await metricValue('meshscope_kube_cache_restarts_total', { resource: 'pods' })).toBeGreaterThan(0);
  });

  it('backs off on 429 with Retry-After instead of hammering the API server', async () => {
    await allWatching();
    const restartsBefore = caches.cache('pods').status().restarts;
    await simulatorRequest(simulator, '/simulator/v1/faults', {
      method: 'POST',
      body: { throttleRetryAfterSeconds: 2 },
    });
    try {
      simulator.resetWatches();
      await eventually(
        () => (caches.cache('pods').status().lastError?.includes('429') ? true : undefined),
        5_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      // One restart when the watch dropped, then at most one per Retry-After (2 s) while throttled.
      expect(caches.cache('pods').status().restarts - restartsBefore).toBeLessThanOrEqual(3);
      expect(caches.cache('pods').status()).toMatchObject({ state: 'stale', stale: true });
    } finally {
      await simulatorRequest(simulator, '/simulator/v1/faults', {
        method: 'POST',
        body: { throttleRetryAfterSeconds: null },
      });
    }
    await eventually(
      () => (caches.statuses().every((status) => status.state === 'synced') ? true : undefined),
      10_000,
      'recovery after the throttling ends',
    );
  });
});
