/**
 * Calls to hosts outside the mesh, seen as a user sees them: the caller's sidecar stats scraped
 * over the pod proxy and its proxy log. Labels as Istio reports them (istio.io blog "Monitoring
 * blocked and passthrough external service traffic"): a ServiceEntry host is the destination
 * service in the entry's namespace; an unregistered host is `destination_service_name`
 * PassthroughCluster (ALLOW_ANY) or BlackHoleCluster with a 502 (REGISTRY_ONLY), with the host as
 * `destination_service` and `unknown` namespace and workload. No destination proxy reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredExternalHost, unregisteredExternalHost } from '../scenarios/chaos';
import { podNames, type Series, scrapePod, simulatorRequest, total } from '../testing/cluster-client';
import { startTestSimulator, type TestSimulator } from '../testing/simulator-fixture';

function run(simulator: TestSimulator, clock: { now: number }, seconds: number): void {
  for (let second = 0; second < seconds; second += 1) {
    clock.now += 1000;
    simulator.engine.tick(clock.now, 1);
  }
}

async function callerSeries(simulator: TestSimulator): Promise<Series[]> {
  const [pod] = await podNames(simulator, 'default', 'app=catalog-sync');
  if (!pod) throw new Error('no catalog-sync pod');
  return scrapePod(simulator, 'default', pod);
}

async function patchJson(simulator: TestSimulator, path: string, body: unknown): Promise<void> {
  const response = await simulatorRequest(simulator, path, {
    method: 'PATCH',
    body,
    contentType: 'application/merge-patch+json',
  });
  expect(response.status, response.body).toBe(200);
}

describe('external hosts on the chaos scenario', () => {
  let simulator: TestSimulator;
  const clock = { now: Date.now() };

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 5 });
  });
  afterAll(async () => simulator.dispose());

  it('reports calls to a ServiceEntry host as that host in the entry namespace, source only', async () => {
    run(simulator, clock, 10);
    const series = await callerSeries(simulator);
    const toEntry = series.filter(
      (item) =>
        item.name === 'istio_requests_total' && item.labels.destination_service === registeredExternalHost,
    );
    expect(toEntry.length).toBeGreaterThan(0);
    for (const item of toEntry) {
      expect(item.labels).toMatchObject({
        reporter: 'source',
        source_workload: 'catalog-sync-v1',
        destination_service_name: registeredExternalHost,
        destination_service_namespace: 'default',
        destination_workload: 'unknown',
        destination_workload_namespace: 'unknown',
        response_code: '200',
      });
    }
    // 2 rps for 10 s
    expect(total(series, 'istio_requests_total', { destination_service: registeredExternalHost })).toBe(20);
  });

  it('sends an unregistered host through PassthroughCluster under ALLOW_ANY, and it succeeds', async () => {
    const series = await callerSeries(simulator);
    const passthrough = series.filter(
      (item) =>
        item.name === 'istio_requests_total' && item.labels.destination_service_name === 'PassthroughCluster',
    );
    expect(passthrough.map((item) => item.labels)).toEqual([
      expect.objectContaining({
        reporter: 'source',
        destination_service: unregisteredExternalHost,
        destination_service_namespace: 'unknown',
        destination_workload: 'unknown',
        destination_app: 'unknown',
        response_code: '200',
        response_flags: '-',
      }),
    ]);
    expect(passthrough[0]?.value).toBe(10);
    const [pod] = await podNames(simulator, 'default', 'app=catalog-sync');
    const log = await simulatorRequest(
      simulator,
      `/api/v1/namespaces/default/pods/${pod}/log?container=istio-proxy&tailLines=50`,
    );
    expect(log.body).toMatch(/"GET \/get HTTP\/1\.1" 200 .*PassthroughCluster/);
    expect(log.body).toMatch(/outbound\|80\|\|www\.googleapis\.com/);
  });

  it('no sidecar answers for an external host: no destination report mentions it', () => {
    const mesh = simulator.engine.scrapeAll();
    const destinationReports = mesh
      .split('\n')
      .filter((line) => line.startsWith('istio_requests_total{') && line.includes('reporter="destination"'));
    expect(destinationReports.some((line) => line.includes(unregisteredExternalHost))).toBe(false);
    expect(destinationReports.some((line) => line.includes(registeredExternalHost))).toBe(false);
  });

  it('honours a VirtualService for the ServiceEntry host (a 100 % abort)', async () => {
    const created = await simulatorRequest(
      simulator,
      '/apis/networking.istio.io/v1/namespaces/default/virtualservices',
      {
        method: 'POST',
        body: {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: 'googleapis', namespace: 'default' },
          spec: {
            hosts: [registeredExternalHost],
            http: [
              {
                fault: { abort: { percentage: { value: 100 }, httpStatus: 503 } },
                route: [{ destination: { host: registeredExternalHost } }],
              },
            ],
          },
        },
      },
    );
    expect(created.status, created.body).toBe(201);
    run(simulator, clock, 5);
    const series = await callerSeries(simulator);
    expect(
      total(series, 'istio_requests_total', {
        destination_service: registeredExternalHost,
        response_code: '503',
        response_flags: 'FI',
      }),
    ).toBe(10);
    const deleted = await simulatorRequest(
      simulator,
      '/apis/networking.istio.io/v1/namespaces/default/virtualservices/googleapis',
      { method: 'DELETE' },
    );
    expect(deleted.status).toBe(200);
  });

  it('routes a two-label host once a ServiceEntry declares it, with its VirtualService', async () => {
    const create = async (plural: string, body: unknown) => {
      const response = await simulatorRequest(
        simulator,
        `/apis/networking.istio.io/v1/namespaces/default/${plural}`,
        { method: 'POST', body },
      );
      expect(response.status, response.body).toBe(201);
    };
    await create('serviceentries', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'httpbin', namespace: 'default' },
      spec: {
        hosts: [unregisteredExternalHost],
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
        ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
      },
    });
    await create('virtualservices', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'httpbin', namespace: 'default' },
      spec: {
        hosts: [unregisteredExternalHost],
        http: [
          {
            fault: { abort: { percentage: { value: 100 }, httpStatus: 418 } },
            route: [{ destination: { host: unregisteredExternalHost } }],
          },
        ],
      },
    });
    run(simulator, clock, 3);
    const series = await callerSeries(simulator);
    const routed = series.filter(
      (item) => item.name === 'istio_requests_total' && item.labels.response_code === '418',
    );
    expect(routed.map((item) => [item.labels, item.value])).toEqual([
      [
        expect.objectContaining({
          destination_service: unregisteredExternalHost,
          destination_service_name: unregisteredExternalHost,
          destination_service_namespace: 'default',
          response_flags: 'FI',
        }),
        3,
      ],
    ]);
    for (const plural of ['virtualservices', 'serviceentries']) {
      const deleted = await simulatorRequest(
        simulator,
        `/apis/networking.istio.io/v1/namespaces/default/${plural}/httpbin`,
        { method: 'DELETE' },
      );
      expect(deleted.status).toBe(200);
    }
  });

  it('refuses an unregistered host through BlackHoleCluster with 502 under REGISTRY_ONLY', async () => {
    const configMap = await simulatorRequest(simulator, '/api/v1/namespaces/istio-system/configmaps/istio');
    const mesh = (JSON.parse(configMap.body) as { data: { mesh: string } }).data.mesh;
    await patchJson(simulator, '/api/v1/namespaces/istio-system/configmaps/istio', {
      data: { mesh: `${mesh}outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n` },
    });
    run(simulator, clock, 4);
    const series = await callerSeries(simulator);
    const blackhole = series.filter(
      (item) =>
        item.name === 'istio_requests_total' && item.labels.destination_service_name === 'BlackHoleCluster',
    );
    expect(blackhole.map((item) => item.labels)).toEqual([
      expect.objectContaining({
        reporter: 'source',
        destination_service: unregisteredExternalHost,
        destination_service_namespace: 'unknown',
        destination_workload: 'unknown',
        response_code: '502',
        response_flags: '-',
      }),
    ]);
    expect(blackhole[0]?.value).toBe(4);
    // The ServiceEntry host still goes out: REGISTRY_ONLY blocks only what the registry lacks
    // (2 req/s over the 17 s without the abort fault).
    expect(
      total(series, 'istio_requests_total', {
        destination_service: registeredExternalHost,
        response_code: '200',
      }),
    ).toBe(34);
    await patchJson(simulator, '/api/v1/namespaces/istio-system/configmaps/istio', { data: { mesh } });
    run(simulator, clock, 2);
    const after = await callerSeries(simulator);
    // 15 s of ALLOW_ANY before, 2 s after (3 s went through the ServiceEntry)
    expect(total(after, 'istio_requests_total', { destination_service_name: 'PassthroughCluster' })).toBe(17);
  });
});
