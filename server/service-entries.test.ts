/**
 * `GET /api/serviceentries` through the process's own caches and telemetry source (configured by
 * environment, as the launcher does), against the simulated chaos mesh with its traffic running:
 * default/catalog-sync-v1 calls www.googleapis.com (ServiceEntry default/googleapis, 2 req/s) and
 * httpbin.org (no ServiceEntry: PassthroughCluster, 1 req/s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceEntriesResponse } from '@/lib/types/gateways';
import { eventually, startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { signedIn } from './auth/testing';

type CachesModule = typeof import('./cache/resource-caches');
type TelemetryModule = typeof import('./telemetry/source');
type EntriesRoute = typeof import('@/app/api/serviceentries/route');

const BASE = 'http://127.0.0.1:3000';

describe('the service entries API on the chaos mesh', () => {
  let simulator: TestSimulator;
  let caches: CachesModule;
  let telemetry: TelemetryModule;
  let entries: EntriesRoute;

  const get = async (query: string): Promise<ServiceEntriesResponse> => {
    const response = await entries.GET(signedIn(`${BASE}/api/serviceentries${query}`), {
      params: Promise.resolve({}),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as ServiceEntriesResponse;
  };

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', tickMs: 200, seed: 4 });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.admin;
    process.env.MESHSCOPE_LOG_LEVEL = 'error';
    caches = await import('./cache/resource-caches');
    telemetry = await import('./telemetry/source');
    entries = await import('@/app/api/serviceentries/route');
  });
  afterAll(async () => {
    (await telemetry?.getTelemetrySource().catch(() => undefined))?.close();
    await caches?.stopResourceCaches();
    await simulator?.dispose();
  });

  it('shows the ServiceEntry with its caller, and the unregistered host with its cluster', async () => {
    const body = await eventually(
      async () => {
        const answer = await get('?namespaces=default&duration=30s');
        const entry = answer.items.find((item) => item.name === 'googleapis');
        return entry && entry.traffic.length > 0 && answer.unregistered.length > 0 ? answer : undefined;
      },
      40_000,
      'external traffic in the telemetry window',
    );
    expect(body.items).toEqual([
      expect.objectContaining({
        namespace: 'default',
        name: 'googleapis',
        hosts: ['www.googleapis.com'],
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
        ports: [
          { number: 80, name: 'http', protocol: 'HTTP' },
          { number: 443, name: 'https', protocol: 'HTTPS' },
        ],
      }),
    ]);
    const [toEntry] = body.items[0]?.traffic ?? [];
    expect(toEntry).toMatchObject({
      source: { namespace: 'default', workload: 'catalog-sync-v1' },
      host: 'www.googleapis.com',
      errorRate: 0,
    });
    expect(toEntry?.cluster).toBeUndefined();
    expect(toEntry?.requestRate).toBeGreaterThan(1);
    expect(body.unregistered).toEqual([
      expect.objectContaining({
        source: { namespace: 'default', workload: 'catalog-sync-v1' },
        host: 'httpbin.org',
        cluster: 'PassthroughCluster',
        errorRate: 0,
      }),
    ]);
    expect(body.unregistered[0]?.requestRate).toBeGreaterThan(0.5);
    // Callers in other namespaces only: neither the entry (in default) nor the caller shows.
    const legacy = await get('?namespaces=legacy&duration=30s');
    expect(legacy.items).toEqual([]);
    expect(legacy.unregistered).toEqual([]);
  }, 60_000);
});
