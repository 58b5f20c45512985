/**
 * The simulated mesh obeys the live configuration: faults, outlier detection, mTLS and
 * authorization, seen the way a user sees them — through sidecar stats scraped over the pod proxy,
 * Envoy admin over a port-forward, and proxy logs. Traffic is driven tick by tick so simulated
 * minutes take milliseconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  envoyAdmin,
  podNames,
  type Series,
  scrapePod,
  simulatorRequest,
  total,
} from '../testing/cluster-client';
import { startTestSimulator, type TestSimulator } from '../testing/simulator-fixture';

const vsPath = '/apis/networking.istio.io/v1/namespaces/default/virtualservices';

async function mergePatch(simulator: TestSimulator, path: string, body: unknown): Promise<void> {
  const response = await simulatorRequest(simulator, path, {
    method: 'PATCH',
    body,
    contentType: 'application/merge-patch+json',
  });
  expect(response.status, response.body).toBe(200);
}

/** Advance simulated time by `seconds`, one-second ticks. */
function run(simulator: TestSimulator, clock: { now: number }, seconds: number): void {
  for (let second = 0; second < seconds; second += 1) {
    clock.now += 1000;
    simulator.engine.tick(clock.now, 1);
  }
}

async function scrapeAll(simulator: TestSimulator, selector: string): Promise<Series[]> {
  const pods = await podNames(simulator, 'default', selector);
  return (await Promise.all(pods.map((pod) => scrapePod(simulator, 'default', pod)))).flat();
}

describe('faults on the bookinfo scenario', () => {
  let simulator: TestSimulator;
  const clock = { now: Date.now() };

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true, seed: 7 });
  });
  afterAll(async () => simulator.dispose());

  it('sends traffic along Bookinfo with both reporters and mutual TLS', async () => {
    run(simulator, clock, 10);
    const productpage = await scrapeAll(simulator, 'app=productpage');
    const toReviews = { reporter: 'source', destination_service_name: 'reviews', response_code: '200' };
    expect(total(productpage, 'istio_requests_total', toReviews)).toBeGreaterThan(50);
    const reviews = await scrapeAll(simulator, 'app=reviews');
    const inbound = reviews.filter(
      (series) => series.name === 'istio_requests_total' && series.labels.reporter === 'destination',
    );
    expect(inbound.length).toBeGreaterThan(0);
    expect(new Set(inbound.map((series) => series.labels.connection_security_policy))).toEqual(
      new Set(['mutual_tls']),
    );
    expect(new Set(inbound.map((series) => series.labels.destination_version))).toEqual(
      new Set(['v1', 'v3']),
    );
    expect(inbound[0]?.labels.source_principal).toBe(
      'spiffe://cluster.local/ns/default/sa/bookinfo-productpage',
    );
  });

  it('shows a 50 % abort fault as about half 5xx with response_flags FI', async () => {
    await mergePatch(simulator, `${vsPath}/ratings`, {
      spec: {
        http: [
          {
            fault: { abort: { percentage: { value: 50 }, httpStatus: 500 } },
            route: [{ destination: { host: 'ratings', subset: 'v1' } }],
          },
        ],
      },
    });
    const before = await scrapeAll(simulator, 'app=reviews');
    run(simulator, clock, 60);
    const after = await scrapeAll(simulator, 'app=reviews');
    const toRatings = { reporter: 'source', destination_service_name: 'ratings' };
    const delta = (labels: Record<string, string>) =>
      total(after, 'istio_requests_total', labels) - total(before, 'istio_requests_total', labels);
    const all = delta(toRatings);
    const aborted = delta({ ...toRatings, response_code: '500', response_flags: 'FI' });
    expect(all).toBeGreaterThan(200);
    expect(aborted / all).toBeGreaterThan(0.42);
    expect(aborted / all).toBeLessThan(0.58);
  });

  it('shows a 2 s delay fault in the duration histogram', async () => {
    await mergePatch(simulator, `${vsPath}/ratings`, {
      spec: {
        http: [
          {
            fault: { delay: { percentage: { value: 100 }, fixedDelay: '2s' } },
            route: [{ destination: { host: 'ratings', subset: 'v1' } }],
          },
        ],
      },
    });
    const histogram = (series: Series[]) =>
      series.filter(
        (entry) =>
          entry.name === 'istio_request_duration_milliseconds' &&
          entry.labels.reporter === 'source' &&
          entry.labels.destination_service_name === 'ratings',
      );
    const sums = (series: Series[]) =>
      histogram(series).reduce(
        (acc, entry) => ({
          sum: acc.sum + (entry.sum ?? 0),
          count: acc.count + entry.value,
          fast: acc.fast + (entry.buckets?.['1000'] ?? 0),
        }),
        { sum: 0, count: 0, fast: 0 },
      );
    const before = sums(await scrapeAll(simulator, 'app=reviews'));
    run(simulator, clock, 20);
    const after = sums(await scrapeAll(simulator, 'app=reviews'));
    const count = after.count - before.count;
    expect(count).toBeGreaterThan(50);
    expect((after.sum - before.sum) / count).toBeGreaterThanOrEqual(2000);
    expect(after.fast - before.fast).toBe(0);
  });

  it('moves traffic as soon as the VirtualService changes', async () => {
    await mergePatch(simulator, `${vsPath}/reviews`, {
      spec: { http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' }, weight: 100 }] }] },
    });
    const before = await scrapeAll(simulator, 'app=reviews');
    run(simulator, clock, 5);
    const after = await scrapeAll(simulator, 'app=reviews');
    const inbound = (version: string, series: Series[]) =>
      total(series, 'istio_requests_total', { reporter: 'destination', destination_version: version });
    expect(inbound('v2', after) - inbound('v2', before)).toBeGreaterThan(30);
    expect(inbound('v1', after) - inbound('v1', before)).toBe(0);
    expect(inbound('v3', after) - inbound('v3', before)).toBe(0);
  });
});

describe('the chaos scenario', () => {
  let simulator: TestSimulator;
  const clock = { now: Date.now() };

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 11 });
  });
  afterAll(async () => simulator.dispose());

  it('ejects the flaky reviews pod, shows it in /clusters and the ejection stats, then lets it back', async () => {
    const [caller] = await podNames(simulator, 'default', 'app=productpage');
    if (!caller) throw new Error('no productpage pod');
    run(simulator, clock, 10);
    const clusters = await envoyAdmin(simulator, 'default', caller, '/clusters');
    const v3Cluster = 'outbound|9080|v3|reviews.default.svc.cluster.local';
    const flagged = clusters
      .split('\n')
      .filter(
        (line) => line.startsWith(`${v3Cluster}::`) && line.endsWith('::health_flags::/failed_outlier_check'),
      );
    expect(flagged).toHaveLength(1);
    const stats = await scrapePod(simulator, 'default', caller);
    expect(
      total(stats, 'envoy_cluster_outlier_detection_ejections_active', { cluster_name: v3Cluster }),
    ).toBe(1);
    expect(
      total(stats, 'envoy_cluster_outlier_detection_ejections_enforced_total', { cluster_name: v3Cluster }),
    ).toBeGreaterThanOrEqual(1);
    const dump = JSON.parse(await envoyAdmin(simulator, 'default', caller, '/config_dump')) as {
      configs: {
        dynamic_active_clusters?: {
          cluster: { name: string; outlier_detection?: { consecutive_5xx: number } };
        }[];
      }[];
    };
    const cluster = dump.configs
      .flatMap((config) => config.dynamic_active_clusters ?? [])
      .find((entry) => entry.cluster.name === v3Cluster);
    expect(cluster?.cluster.outlier_detection?.consecutive_5xx).toBe(3);

    // Base ejection time is 15 s; after it (checked at the 5 s interval) the host is back.
    clock.now += 21_000;
    simulator.engine.tick(clock.now, 0);
    const later = await envoyAdmin(simulator, 'default', caller, '/clusters');
    expect(
      later
        .split('\n')
        .filter((line) => line.startsWith(`${v3Cluster}::`) && line.includes('failed_outlier_check')),
    ).toHaveLength(0);
    const statsLater = await scrapePod(simulator, 'default', caller);
    expect(
      total(statsLater, 'envoy_cluster_outlier_detection_ejections_active', { cluster_name: v3Cluster }),
    ).toBe(0);
  });

  it('denies the plaintext caller with 403 where the DENY policy applies', async () => {
    run(simulator, clock, 10);
    const ratings = await scrapeAll(simulator, 'app=ratings');
    const fromLegacy = {
      reporter: 'destination',
      source_workload: 'unknown',
      connection_security_policy: 'none',
    };
    expect(total(ratings, 'istio_requests_total', { ...fromLegacy, response_code: '403' })).toBeGreaterThan(
      5,
    );
    expect(total(ratings, 'istio_requests_total', { ...fromLegacy, response_code: '200' })).toBe(0);
  });

  it('reports TCP traffic to the MongoDB without a sidecar from the caller side only', async () => {
    const ratings = await scrapeAll(simulator, 'app=ratings');
    expect(
      total(ratings, 'istio_tcp_sent_bytes_total', {
        reporter: 'source',
        destination_service_name: 'mongodb',
      }),
    ).toBeGreaterThan(0);
    expect(
      total(ratings, 'istio_tcp_connections_opened_total', {
        reporter: 'source',
        destination_service_name: 'mongodb',
        destination_workload: 'unknown',
      }),
    ).toBeGreaterThan(0);
  });

  it('turns the plaintext caller into failures once PeerAuthentication is STRICT', async () => {
    const [details] = await podNames(simulator, 'default', 'app=details');
    if (!details) throw new Error('no details pod');
    const plaintext = {
      reporter: 'destination',
      source_workload: 'unknown',
      connection_security_policy: 'none',
    };
    const before = total(await scrapePod(simulator, 'default', details), 'istio_requests_total', plaintext);
    expect(before).toBeGreaterThan(0);
    const created = await simulatorRequest(
      simulator,
      '/apis/security.istio.io/v1/namespaces/default/peerauthentications',
      {
        method: 'POST',
        body: {
          apiVersion: 'security.istio.io/v1',
          kind: 'PeerAuthentication',
          metadata: { name: 'default' },
          spec: { mtls: { mode: 'STRICT' } },
        },
      },
    );
    expect(created.status).toBe(201);
    run(simulator, clock, 10);
    const after = await scrapePod(simulator, 'default', details);
    expect(total(after, 'istio_requests_total', plaintext)).toBe(before);
    expect(
      total(after, 'istio_requests_total', {
        reporter: 'destination',
        connection_security_policy: 'mutual_tls',
      }),
    ).toBeGreaterThan(0);
    const log = await simulatorRequest(
      simulator,
      `/api/v1/namespaces/default/pods/${details}/log?container=istio-proxy&tailLines=50`,
    );
    expect(log.body).toContain('filter_chain_not_found');
  });
});

describe('auto-mTLS against PeerAuthentication DISABLE', () => {
  let simulator: TestSimulator;
  const clock = { now: Date.now() };

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true, seed: 5 });
  });
  afterAll(async () => simulator.dispose());

  it('sends plaintext that succeeds under a namespace-wide DISABLE, as Istio configures clients', async () => {
    const created = await simulatorRequest(
      simulator,
      '/apis/security.istio.io/v1/namespaces/default/peerauthentications',
      {
        method: 'POST',
        body: {
          apiVersion: 'security.istio.io/v1',
          kind: 'PeerAuthentication',
          metadata: { name: 'default' },
          spec: { mtls: { mode: 'DISABLE' } },
        },
      },
    );
    expect(created.status).toBe(201);
    run(simulator, clock, 10);
    const details = await scrapeAll(simulator, 'app=details');
    const inbound = { reporter: 'destination', source_workload: 'productpage-v1' };
    expect(
      total(details, 'istio_requests_total', {
        ...inbound,
        connection_security_policy: 'none',
        response_code: '200',
      }),
    ).toBeGreaterThan(50);
    expect(
      total(details, 'istio_requests_total', { ...inbound, connection_security_policy: 'mutual_tls' }),
    ).toBe(0);
  });
});
