/**
 * The workload and pod routes through the process's own caches, telemetry source and Envoy admin
 * client (configured by environment, as the launcher does), against the simulated `chaos` mesh
 * over HTTPS: the list with sidecar state and applied config, a workload's pods with why the
 * sidecar is missing, a sidecar's `/config_dump` as tables through a port-forward, and its access
 * log parsed and filtered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '@/lib/types/api';
import type {
  PodLogsResponse,
  ProxyConfigResponse,
  WorkloadDetailResponse,
  WorkloadListResponse,
} from '@/lib/types/workloads';
import { podNames } from '../sim/testing/cluster-client';
import { startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';

type CachesModule = typeof import('./cache/resource-caches');
type TelemetryModule = typeof import('./telemetry/source');
type ListRoute = typeof import('@/app/api/workloads/route');
type DetailRoute = typeof import('@/app/api/workloads/[namespace]/[name]/route');
type ProxyConfigRoute = typeof import('@/app/api/pods/[namespace]/[name]/proxy-config/route');
type LogsRoute = typeof import('@/app/api/pods/[namespace]/[name]/logs/route');

const BASE = 'http://127.0.0.1:3000';
const SECRET = 'workloads-test-launch-secret';
/** A GET as a script sends it: the launch secret as a bearer token. */
const get = (path: string) =>
  new Request(`${BASE}${path}`, { headers: { authorization: `Bearer ${SECRET}`, host: '127.0.0.1:3000' } });
const context = <T>(params: T) => ({ params: Promise.resolve(params) });

describe('the workloads and pods API on the chaos mesh', () => {
  let simulator: TestSimulator;
  let caches: CachesModule;
  let telemetry: TelemetryModule;
  let list: ListRoute;
  let detail: DetailRoute;
  let proxyConfig: ProxyConfigRoute;
  let logs: LogsRoute;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 3 });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.admin;
    process.env.MESHSCOPE_LOG_LEVEL = 'error';
    process.env.MESHSCOPE_LAUNCH_SECRET = SECRET;
    caches = await import('./cache/resource-caches');
    telemetry = await import('./telemetry/source');
    list = await import('@/app/api/workloads/route');
    detail = await import('@/app/api/workloads/[namespace]/[name]/route');
    proxyConfig = await import('@/app/api/pods/[namespace]/[name]/proxy-config/route');
    logs = await import('@/app/api/pods/[namespace]/[name]/logs/route');
    // Some traffic for the access logs: 20 simulated seconds.
    const start = Date.now() - 20_000;
    for (let second = 1; second <= 20; second += 1) simulator.engine.tick(start + second * 1000, 1);
  });
  afterAll(async () => {
    (await telemetry?.getTelemetrySource().catch(() => undefined))?.close();
    await caches?.stopResourceCaches();
    await simulator?.dispose();
  });

  it('lists workloads with sidecar state, the Istio config that applies and its findings', async () => {
    const response = await list.GET(get(`/api/workloads?namespaces=default,legacy`), context({}));
    expect(response.status).toBe(200);
    const body = (await response.json()) as WorkloadListResponse;
    const byName = new Map(body.workloads.map((workload) => [workload.name, workload]));
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining([
        'productpage-v1',
        'reviews-v1',
        'reviews-v3',
        'ratings-v1',
        'mongodb-v1',
        'legacy-client-v1',
      ]),
    );
    expect(byName.get('reviews-v3')?.sidecar).toBe('present');
    expect(byName.get('mongodb-v1')?.sidecar).toBe('missing');
    expect(byName.get('legacy-client-v1')?.sidecar).toBe('missing');
    const reviews = byName
      .get('reviews-v3')
      ?.istioConfig.map((object) => `${object.kind}/${object.name} (${object.via})`);
    expect(reviews).toEqual(
      expect.arrayContaining([
        'VirtualService/reviews (service reviews)',
        'DestinationRule/reviews (service reviews)',
      ]),
    );
    expect(byName.get('ratings-v1')?.istioConfig).toContainEqual({
      kind: 'AuthorizationPolicy',
      namespace: 'default',
      name: 'ratings-deny-plaintext',
      via: 'selector app=ratings',
    });
    expect(byName.get('reviews-v3')?.findings).toEqual(
      expect.objectContaining({ error: expect.any(Number), warning: expect.any(Number) }),
    );
    expect(body.duration).toBe(60);
  });

  it('refuses a bad namespace list with 400', async () => {
    const response = await list.GET(get(`/api/workloads?namespaces=Not_A_Name`), context({}));
    expect(response.status).toBe(400);
    expect(((await response.json()) as ApiErrorBody).code).toBe('invalid');
  });

  it('explains why a pod has no sidecar: the pod opts out, or the namespace is not labelled', async () => {
    const mongodb = await detail.GET(
      get(`/api/workloads/default/mongodb-v1`),
      context({ namespace: 'default', name: 'mongodb-v1' }),
    );
    expect(mongodb.status).toBe(200);
    const mongo = (await mongodb.json()) as WorkloadDetailResponse;
    expect(mongo.pods.length).toBeGreaterThan(0);
    expect(mongo.pods[0]).toMatchObject({ phase: 'Running', restarts: expect.any(Number) });
    expect(mongo.pods[0]?.injection).toMatchObject({
      injected: false,
      namespace: 'enabled',
      podSetting: 'false',
    });
    expect(mongo.pods[0]?.injection.reason).toContain('sidecar.istio.io/inject=false');
    expect(mongo.services).toEqual(['mongodb']);

    const legacy = (await (
      await detail.GET(
        get(`/api/workloads/legacy/legacy-client-v1`),
        context({ namespace: 'legacy', name: 'legacy-client-v1' }),
      )
    ).json()) as WorkloadDetailResponse;
    expect(legacy.pods[0]?.injection).toMatchObject({ injected: false, namespace: 'none' });
    expect(legacy.pods[0]?.injection.reason).toContain('istio-injection=enabled');

    const reviews = (await (
      await detail.GET(
        get(`/api/workloads/default/reviews-v3`),
        context({ namespace: 'default', name: 'reviews-v3' }),
      )
    ).json()) as WorkloadDetailResponse;
    expect(reviews.pods.every((pod) => pod.injection.injected)).toBe(true);
    expect(reviews.pods[0]?.injection.reason).toContain('istio-injection=enabled');
  });

  it('answers 404 for an unknown workload', async () => {
    const response = await detail.GET(
      get(`/api/workloads/default/nothing-here`),
      context({ namespace: 'default', name: 'nothing-here' }),
    );
    expect(response.status).toBe(404);
  });

  it("reads a sidecar's routes, clusters and listeners from /config_dump through a port-forward", async () => {
    const [productpage] = await podNames(simulator, 'default', 'app=productpage');
    const response = await proxyConfig.GET(
      get(`/api/pods/default/${productpage}/proxy-config?section=all&raw=true`),
      context({ namespace: 'default', name: productpage ?? '' }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as ProxyConfigResponse;
    const reviewsRoutes = (body.routes ?? []).filter((route) =>
      route.virtualHost.startsWith('reviews.default'),
    );
    expect(reviewsRoutes.length).toBeGreaterThan(0);
    const weights = reviewsRoutes.flatMap((route) => route.clusters);
    expect(weights.map((cluster) => cluster.name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^outbound\|9080\|v\d\|reviews\.default\.svc\.cluster\.local$/),
      ]),
    );
    expect(
      body.clusters?.some((cluster) => cluster.subset === 'v3' && cluster.fqdn.startsWith('reviews.')),
    ).toBe(true);
    expect(body.listeners?.map((listener) => listener.port)).toContain(9080);
    expect(body.raw).toMatchObject({ configs: expect.any(Array) });

    const routesOnly = (await (
      await proxyConfig.GET(
        get(`/api/pods/default/${productpage}/proxy-config?section=routes`),
        context({ namespace: 'default', name: productpage ?? '' }),
      )
    ).json()) as ProxyConfigResponse;
    expect(routesOnly.clusters).toBeUndefined();
    expect(routesOnly.raw).toBeUndefined();
    expect(routesOnly.routes?.length).toBe(body.routes?.length);
  });

  it('answers 404 for the proxy config of an unknown pod and 400 for a bad section', async () => {
    const missing = await proxyConfig.GET(
      get(`/api/pods/default/no-such-pod/proxy-config`),
      context({ namespace: 'default', name: 'no-such-pod' }),
    );
    expect(missing.status).toBe(404);
    const bad = await proxyConfig.GET(
      get(`/api/pods/default/x/proxy-config?section=secrets`),
      context({ namespace: 'default', name: 'x' }),
    );
    expect(bad.status).toBe(400);
  });

  it("reads a sidecar's access log, parsed, and filters it by class and flag", async () => {
    const pods = await podNames(simulator, 'default', 'app=reviews,version=v3');
    const read = async (pod: string, query: string) => {
      const response = await logs.GET(
        get(`/api/pods/default/${pod}/logs?${query}`),
        context({ namespace: 'default', name: pod }),
      );
      expect(response.status).toBe(200);
      return (await response.json()) as PodLogsResponse;
    };
    const all = await Promise.all(pods.map((pod) => read(pod, 'tail=300')));
    const lines = all.flatMap((answer) => answer.lines);
    // pilot-agent's start-up lines stay as they are; the rest are Envoy access-log entries.
    expect(lines.some((line) => line.kind === 'other' && line.raw.includes('Envoy proxy is ready'))).toBe(
      true,
    );
    const entries = lines.filter((line) => line.kind === 'access');
    expect(entries.length).toBeGreaterThan(10);
    // The flaky v3 pod answers 500s: filtering by 5xx keeps only those.
    const errors = (await Promise.all(pods.map((pod) => read(pod, 'tail=300&code=5xx')))).flatMap(
      (answer) => answer.lines,
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThan(entries.length);
    expect(errors.every((line) => line.kind === 'access' && line.entry.responseCode >= 500)).toBe(true);
    const tail = await read(pods[0] ?? '', 'tail=5');
    expect(tail.read).toBeLessThanOrEqual(5);
  });

  it('refuses bad log parameters with 400', async () => {
    const response = await logs.GET(
      get(`/api/pods/default/x/logs?tail=0&code=6xx`),
      context({ namespace: 'default', name: 'x' }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as ApiErrorBody;
    expect(JSON.stringify(body.details)).toContain('tail');
  });
});
