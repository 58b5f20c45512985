/**
 * A real Prometheus (Debian's package, on 127.0.0.1) scraping the simulated mesh: after a weight
 * change the PromQL a dashboard runs converges to the new split, and direct scrapes of the
 * sidecars agree.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podNames, scrapePod, simulatorRequest, total } from '../testing/cluster-client';
import { prometheusAvailable, type RunningPrometheus, startPrometheus } from '../testing/prometheus-fixture';
import { eventually, startTestSimulator, type TestSimulator } from '../testing/simulator-fixture';

const hasPrometheus = prometheusAvailable();
if (!hasPrometheus)
  console.warn('skipping the Prometheus suite: `prometheus` is not on PATH (apt-get install prometheus)');

const splitQuery =
  'sum by (destination_version) (rate(istio_requests_total{reporter="destination",destination_service_name="reviews"}[30s]))';

function shares(entries: { version: string; rate: number }[]): Record<string, number> {
  const sum = entries.reduce((acc, entry) => acc + entry.rate, 0);
  return Object.fromEntries(entries.map((entry) => [entry.version, sum > 0 ? (entry.rate / sum) * 100 : 0]));
}

function close(actual: Record<string, number>, expected: Record<string, number>, points: number): boolean {
  return Object.entries(expected).every(
    ([version, share]) => Math.abs((actual[version] ?? 0) - share) <= points,
  );
}

describe.skipIf(!hasPrometheus)('Prometheus scraping the bookinfo scenario', () => {
  let simulator: TestSimulator;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', tickMs: 250, seed: 3 });
    const configFile = join(simulator.directory, 'prometheus.yml');
    // Restart-free way to write the config: a second simulator start is not needed; write it for this URL.
    const { writePrometheusConfig } = await import('../prometheus-config');
    const viewer = simulator.users.find((user) => user.id === 'viewer');
    await writePrometheusConfig(configFile, {
      url: simulator.url,
      caCertificate: simulator.caCertificate,
      token: viewer?.token ?? '',
      scrapeIntervalSeconds: 1,
    });
    prometheus = await startPrometheus(configFile);
    // More traffic makes a 30 s window's split sharper: 40 requests per second into the gateway.
    const [gateway] = await podNames(simulator, 'istio-system', 'app=istio-ingressgateway');
    const generate = JSON.stringify([
      {
        host: 'bookinfo.example.com',
        port: 9080,
        path: '/productpage',
        rps: 40,
        gateway: 'default/bookinfo-gateway',
      },
    ]);
    await simulatorRequest(simulator, `/api/v1/namespaces/istio-system/pods/${gateway}`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { annotations: { 'simulator.meshscope.io/generate': generate } } },
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await simulator?.dispose();
  });

  it('converges to an 80/20/0 split after the VirtualService is patched, in PromQL and in direct scrapes', async () => {
    await eventually(
      async () => ((await prometheus.query('istio_requests_total')).length > 0 ? true : undefined),
      20_000,
      'the first scrape',
    );
    const patched = await simulatorRequest(
      simulator,
      '/apis/networking.istio.io/v1/namespaces/default/virtualservices/reviews',
      {
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: {
          spec: {
            http: [
              {
                route: [
                  { destination: { host: 'reviews', subset: 'v1' }, weight: 80 },
                  { destination: { host: 'reviews', subset: 'v2' }, weight: 20 },
                  { destination: { host: 'reviews', subset: 'v3' }, weight: 0 },
                ],
              },
            ],
          },
        },
      },
    );
    expect(patched.status).toBe(200);
    const expected = { v1: 80, v2: 20, v3: 0 };
    const converged = await eventually(
      async () => {
        const result = await prometheus.query(splitQuery);
        const split = shares(
          result.map((entry) => ({ version: entry.labels.destination_version ?? '', rate: entry.value })),
        );
        return close(split, expected, 5) ? split : undefined;
      },
      75_000,
      'the PromQL split to reach 80/20/0',
    );
    expect(converged.v1).toBeGreaterThan(75);

    const count = async () => {
      const pods = await podNames(simulator, 'default', 'app=reviews');
      const series = (await Promise.all(pods.map((pod) => scrapePod(simulator, 'default', pod)))).flat();
      return Object.fromEntries(
        ['v1', 'v2', 'v3'].map((version) => [
          version,
          total(series, 'istio_requests_total', { reporter: 'destination', destination_version: version }),
        ]),
      );
    };
    const start = await count();
    const direct = await eventually(
      async () => {
        const now = await count();
        const delta = ['v1', 'v2', 'v3'].map((version) => ({
          version,
          rate: (now[version] ?? 0) - (start[version] ?? 0),
        }));
        return delta.reduce((sum, entry) => sum + entry.rate, 0) >= 400 ? shares(delta) : undefined;
      },
      30_000,
      '400 requests to reviews',
    );
    expect(close(direct, expected, 5)).toBe(true);
  });
});
