/**
 * The dashboard's own `/metrics`, read the way Prometheus reads it (the registry's text output):
 * request counts and durations per route, cache sizes and ages, watch reconnects, and telemetry
 * query and scrape durations, produced by the real code against the simulated cluster over HTTPS.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSeries, type Series, total } from '../sim/testing/cluster-client';
import { eventually, startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { apiRoute } from './api-route';
import { ResourceCaches } from './cache/resource-caches';
import { clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { getMetricsRegistry } from './metrics';
import { jsonResponse } from './responses';
import { DirectTelemetrySource } from './telemetry/direct-source';
import { createTelemetrySource } from './telemetry/source';

async function scrape(): Promise<Series[]> {
  return parseSeries(await getMetricsRegistry().metrics());
}

function sample(series: Series[], name: string, labels: Record<string, string>): number | undefined {
  return series.find(
    (entry) =>
      entry.name === name && Object.entries(labels).every(([key, value]) => entry.labels[key] === value),
  )?.value;
}

describe('own metrics in the /metrics registry', () => {
  let simulator: TestSimulator;
  let caches: ResourceCaches;
  let prometheus: Server;
  let prometheusUrl: string;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
    caches = new ResourceCaches(
      clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined)),
      {
        backoff: { baseMs: 200, capMs: 1_000 },
      },
    );
    // A stand-in Prometheus answering every instant query with an empty vector.
    prometheus = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    });
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
    prometheusUrl = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await caches?.stop();
    await simulator?.dispose();
    await new Promise((resolve) => prometheus?.close(resolve));
  });

  it('counts and times API requests per route pattern, method and status', async () => {
    const route = '/api/own-metrics-test/[name]';
    const handler = apiRoute<{ name: string }>({ route, access: 'public' }, async ({ params }) =>
      params.name === 'missing' ? jsonResponse({ code: 'not-found' }, 404) : jsonResponse({ ok: true }),
    );
    const call = (name: string) =>
      handler(new Request(`http://127.0.0.1/api/own-metrics-test/${name}`), {
        params: Promise.resolve({ name }),
      });
    expect((await call('a')).status).toBe(200);
    expect((await call('b')).status).toBe(200);
    expect((await call('missing')).status).toBe(404);

    const series = await scrape();
    const name = 'meshscope_http_request_duration_seconds';
    expect(sample(series, name, { route, method: 'GET', status: '200' })).toBe(2);
    expect(sample(series, name, { route, method: 'GET', status: '404' })).toBe(1);
    const ok = series.find((entry) => entry.name === name && entry.labels.status === '200');
    expect(ok?.buckets?.['+Inf']).toBe(2);
    expect(ok?.sum).toBeGreaterThan(0);
    // The concrete path never becomes a label (one series per pattern, not per object).
    const routes = new Set(series.map((entry) => entry.labels.route).filter(Boolean));
    expect(routes).toContain(route);
    expect(routes).not.toContain('/api/own-metrics-test/a');
    expect(routes).not.toContain('/api/own-metrics-test/missing');
  });

  it('reports cache sizes, ages and staleness per kind, and counts watch reconnects', async () => {
    const { settled } = await caches.ready(10_000);
    expect(settled).toBe(true);
    let series = await scrape();
    const pods = caches.cache('pods').list().length;
    expect(pods).toBeGreaterThan(0);
    expect(sample(series, 'meshscope_kube_cache_objects', { resource: 'pods' })).toBe(pods);
    expect(sample(series, 'meshscope_kube_cache_state', { resource: 'pods', state: 'synced' })).toBe(1);
    const age = sample(series, 'meshscope_kube_cache_sync_age_seconds', { resource: 'virtualservices' });
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(30);
    expect(sample(series, 'meshscope_kube_cache_stale_seconds', { resource: 'pods' })).toBe(0);
    const reconnectsBefore = total(series, 'meshscope_kube_cache_watch_reconnects_total');

    // The API server ends every watch, as it does on its watch timeout: each cache watches again.
    await eventually(() => (simulator.openWatches() > 0 ? true : undefined), 10_000, 'open watches');
    const open = simulator.openWatches();
    simulator.endWatches();
    series = await eventually(
      async () => {
        const now = await scrape();
        return total(now, 'meshscope_kube_cache_watch_reconnects_total') - reconnectsBefore >= open
          ? now
          : undefined;
      },
      15_000,
      'every ended watch to reconnect',
    );
    expect(
      sample(series, 'meshscope_kube_cache_watch_reconnects_total', { resource: 'pods' }),
    ).toBeGreaterThan(0);

    // The API server goes away: the caches go stale, and the metrics say for how long.
    await simulator.stop();
    try {
      series = await eventually(
        async () => {
          const now = await scrape();
          return (sample(now, 'meshscope_kube_cache_stale_seconds', { resource: 'pods' }) ?? 0) > 0
            ? now
            : undefined;
        },
        15_000,
        'the pods cache to be stale for a while',
      );
      expect(sample(series, 'meshscope_kube_cache_stale', { resource: 'pods' })).toBe(1);
      expect(sample(series, 'meshscope_kube_cache_state', { resource: 'pods', state: 'stale' })).toBe(1);
    } finally {
      await simulator.restart();
    }
  });

  it('times Prometheus queries by transport and result', async () => {
    const before = await scrape();
    const name = 'meshscope_telemetry_query_duration_seconds';
    const okBefore = total(before, name, { transport: 'url', result: 'ok' });
    const errorsBefore = total(before, name, { transport: 'url', result: 'error' });
    const cluster = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));

    const source = await createTelemetrySource({ cluster, prometheusUrl });
    await source.snapshot({ namespaces: ['default'], windowSeconds: 60 });
    source.close();
    // A port nothing listens on any more: connection refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await createTelemetrySource({
      cluster,
      prometheusUrl: `http://127.0.0.1:${closedPort}`,
      prometheus: { timeoutMs: 2_000 },
    });
    await expect(refused.snapshot({ namespaces: ['default'], windowSeconds: 60 })).rejects.toThrow();
    refused.close();

    const after = await scrape();
    // One snapshot sends one query per concern (requests, durations, throughput).
    expect(total(after, name, { transport: 'url', result: 'ok' }) - okBefore).toBeGreaterThanOrEqual(3);
    expect(total(after, name, { transport: 'url', result: 'error' }) - errorsBefore).toBeGreaterThanOrEqual(
      1,
    );
  });

  it('speaks for every cache set of a context at once (one per signed-in identity in token mode)', async () => {
    const cluster = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.viewer, undefined));
    const context = cluster.context;
    const first = new ResourceCaches(cluster, { backoff: { baseMs: 200, capMs: 1_000 } });
    const second = new ResourceCaches(
      clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.viewer, undefined)),
      { backoff: { baseMs: 200, capMs: 1_000 } },
    );
    try {
      expect((await first.ready(10_000)).settled).toBe(true);
      expect((await second.ready(10_000)).settled).toBe(true);
      const series = await scrape();
      expect(sample(series, 'meshscope_kube_cache_sets', { context })).toBe(2);
      expect(
        sample(series, 'meshscope_kube_cache_state', { context, resource: 'pods', state: 'synced' }),
      ).toBe(2);
      // One series per kind, not one per set: the object count is the sets' (equal) count.
      const pods = series.filter(
        (entry) =>
          entry.name === 'meshscope_kube_cache_objects' &&
          entry.labels.context === context &&
          entry.labels.resource === 'pods',
      );
      expect(pods.map((entry) => entry.value)).toEqual([first.cache('pods').list().length]);
    } finally {
      await first.stop();
      await second.stop();
    }
    expect(sample(await scrape(), 'meshscope_kube_cache_sets', { context })).toBeUndefined();
  });

  it('times direct sidecar scrapes', async () => {
    const name = 'meshscope_telemetry_sidecar_scrape_duration_seconds';
    const before = total(await scrape(), name, { result: 'ok' });
    const cluster = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    const source = new DirectTelemetrySource(cluster, { intervalMs: 60_000 });
    try {
      await source.snapshot({ namespaces: ['default'], windowSeconds: 60 });
      await source.settled();
    } finally {
      source.close();
    }
    const pods = total(await scrape(), name, { result: 'ok' }) - before;
    // bookinfo's default namespace has one sidecar per workload (productpage, details, reviews x3, ratings).
    expect(pods).toBeGreaterThanOrEqual(6);
  });
});
