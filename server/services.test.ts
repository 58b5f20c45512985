/**
 * The services, gateways and service-entries routes through the process's own caches and telemetry
 * source (configured by environment, as the launcher does), against the simulated bookinfo mesh
 * with its traffic running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '@/lib/types/api';
import type { GatewaysResponse, ServiceEntriesResponse } from '@/lib/types/gateways';
import type { ServiceDetail, ServicesResponse } from '@/lib/types/services';
import { simulatorRequest } from '../sim/testing/cluster-client';
import { eventually, startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { signedIn } from './auth/testing';

type CachesModule = typeof import('./cache/resource-caches');
type TelemetryModule = typeof import('./telemetry/source');
type ListRoute = typeof import('@/app/api/services/route');
type DetailRoute = typeof import('@/app/api/services/[namespace]/[name]/route');
type GatewaysRoute = typeof import('@/app/api/gateways/route');
type EntriesRoute = typeof import('@/app/api/serviceentries/route');

const BASE = 'http://127.0.0.1:3000';

describe('the services API', () => {
  let simulator: TestSimulator;
  let caches: CachesModule;
  let telemetry: TelemetryModule;
  let list: ListRoute;
  let detail: DetailRoute;
  let gateways: GatewaysRoute;
  let entries: EntriesRoute;

  const getDetail = (namespace: string, name: string, query = '') =>
    detail.GET(signedIn(`${BASE}/api/services/${namespace}/${name}${query}`), {
      params: Promise.resolve({ namespace, name }),
    });

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', tickMs: 200 });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.admin;
    process.env.MESHSCOPE_LOG_LEVEL = 'error';
    caches = await import('./cache/resource-caches');
    telemetry = await import('./telemetry/source');
    list = await import('@/app/api/services/route');
    detail = await import('@/app/api/services/[namespace]/[name]/route');
    gateways = await import('@/app/api/gateways/route');
    entries = await import('@/app/api/serviceentries/route');
  });
  afterAll(async () => {
    (await telemetry?.getTelemetrySource().catch(() => undefined))?.close();
    await caches?.stopResourceCaches();
    await simulator?.dispose();
  });

  it('lists the bookinfo services with their config, sidecars and, once traffic is seen, rates', async () => {
    const body = await eventually(
      async () => {
        const response = await list.GET(signedIn(`${BASE}/api/services?namespaces=default&duration=30s`), {
          params: Promise.resolve({}),
        });
        expect(response.status).toBe(200);
        const answer = (await response.json()) as ServicesResponse;
        const productpage = answer.items.find((item) => item.name === 'productpage');
        return productpage && productpage.traffic.requestRate > 0 ? answer : undefined;
      },
      30_000,
      'productpage traffic',
    );
    expect(body.items.map((item) => item.name)).toEqual(['details', 'productpage', 'ratings', 'reviews']);
    const reviews = body.items.find((item) => item.name === 'reviews');
    expect(reviews).toMatchObject({
      namespace: 'default',
      sidecar: 'present',
      pods: { total: 3, withSidecar: 3 },
    });
    expect(reviews?.config.map((object) => `${object.kind}/${object.name}`)).toEqual([
      'VirtualService/reviews',
      'DestinationRule/reviews',
    ]);
    const productpage = body.items.find((item) => item.name === 'productpage');
    expect(productpage?.config.map((object) => `${object.kind}/${object.name}`)).toEqual([
      'VirtualService/bookinfo',
      'VirtualService/productpage',
      'DestinationRule/productpage',
      'Gateway/bookinfo-gateway',
    ]);
    expect(productpage?.traffic.p95Ms).toBeGreaterThan(0);
    expect(productpage?.health.status).not.toBe('na');
  });

  it('answers a service page: ports, endpoints, config with findings, splits and the neighbourhood', async () => {
    const body = await eventually(
      async () => {
        const response = await getDetail('default', 'reviews', '?duration=30s');
        expect(response.status).toBe(200);
        const answer = (await response.json()) as ServiceDetail;
        const ids = answer.neighbourhood.nodes.map((node) => node.id);
        return ids.includes('wl:default:productpage-v1') && ids.includes('svc:default:ratings')
          ? answer
          : undefined;
      },
      30_000,
      'traffic around reviews',
    );
    expect(body.ports).toEqual([{ name: 'http', port: 9080, protocol: 'TCP', targetPort: 9080 }]);
    expect(body.endpoints).toHaveLength(3);
    expect(body.endpoints.every((endpoint) => endpoint.ready && endpoint.sidecar && endpoint.ip !== '')).toBe(
      true,
    );
    expect(body.config.map((object) => `${object.kind}/${object.name}`)).toEqual([
      'VirtualService/reviews',
      'DestinationRule/reviews',
    ]);
    expect(body.trafficSplits).toHaveLength(1);
    expect(body.trafficSplits[0]).toMatchObject({ namespace: 'default', name: 'reviews', weighted: true });
    expect(body.neighbourhood.focus).toBe('svc:default:reviews');
    const ids = body.neighbourhood.nodes.map((node) => node.id);
    expect(ids).toContain('svc:default:reviews');
    expect(ids).toContain('wl:default:reviews-v1');
    // one hop only: productpage's other callee and its caller are not part of it
    expect(ids).not.toContain('svc:default:details');
    expect(ids).not.toContain('wl:istio-system:istio-ingressgateway');
  });

  it('404s an unknown service and 400s a bad duration', async () => {
    const missing = await getDetail('default', 'nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ApiErrorBody).code).toBe('not-found');
    const bad = await list.GET(signedIn(`${BASE}/api/services?duration=forever`), {
      params: Promise.resolve({}),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiErrorBody).message).toContain('duration');
  });

  it('lists bookinfo-gateway with its server, the ingress workload, the bound VirtualService and traffic', async () => {
    const body = await eventually(
      async () => {
        const response = await gateways.GET(signedIn(`${BASE}/api/gateways?duration=30s`), {
          params: Promise.resolve({}),
        });
        expect(response.status).toBe(200);
        const answer = (await response.json()) as GatewaysResponse;
        return answer.items[0] && answer.items[0].totalRequestRate > 0 ? answer : undefined;
      },
      30_000,
      'gateway traffic',
    );
    expect(body.items).toHaveLength(1);
    const gateway = body.items[0];
    expect(gateway).toMatchObject({
      namespace: 'default',
      name: 'bookinfo-gateway',
      selector: { istio: 'ingressgateway' },
      servers: [{ port: 8080, protocol: 'HTTP', hosts: ['*'] }],
      virtualServices: [{ namespace: 'default', name: 'bookinfo', hosts: ['*'] }],
    });
    expect(gateway?.workloads.map((workload) => `${workload.namespace}/${workload.name}`)).toEqual([
      'istio-system/istio-ingressgateway',
    ]);
    expect(gateway?.traffic.map((item) => item.service)).toContain('productpage');
  });

  it('lists no service entries in bookinfo, and says nothing left the mesh unregistered', async () => {
    const response = await entries.GET(signedIn(`${BASE}/api/serviceentries`), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as ServiceEntriesResponse;
    expect(body.items).toEqual([]);
    expect(body.unregistered).toEqual([]);
  });

  it('lists a ServiceEntry created in the cluster with its hosts, location, resolution and ports, in its namespace only', async () => {
    const created = await simulatorRequest(
      simulator,
      '/apis/networking.istio.io/v1/namespaces/default/serviceentries',
      {
        method: 'POST',
        body: {
          apiVersion: 'networking.istio.io/v1',
          kind: 'ServiceEntry',
          metadata: { name: 'httpbin', namespace: 'default' },
          spec: {
            hosts: ['httpbin.org'],
            location: 'MESH_EXTERNAL',
            resolution: 'DNS',
            ports: [{ number: 443, name: 'https', protocol: 'TLS' }],
          },
        },
      },
    );
    expect(created.status).toBe(201);
    const body = await eventually(
      async () => {
        const response = await entries.GET(signedIn(`${BASE}/api/serviceentries?namespaces=default`), {
          params: Promise.resolve({}),
        });
        const answer = (await response.json()) as ServiceEntriesResponse;
        return answer.items.length > 0 ? answer : undefined;
      },
      10_000,
      'the ServiceEntry in the cache',
    );
    expect(body.items).toEqual([
      expect.objectContaining({
        namespace: 'default',
        name: 'httpbin',
        hosts: ['httpbin.org'],
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
        ports: [{ number: 443, name: 'https', protocol: 'TLS' }],
        traffic: [],
      }),
    ]);
    const other = await entries.GET(signedIn(`${BASE}/api/serviceentries?namespaces=istio-system`), {
      params: Promise.resolve({}),
    });
    expect(((await other.json()) as ServiceEntriesResponse).items).toEqual([]);
  });
});
