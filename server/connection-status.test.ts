/**
 * The "connected to" status through the process's own caches (configured by environment, as the
 * launcher does) and through `GET /api/status`, while the simulated API server is up and down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { signedIn } from './auth/testing';

// Server modules are imported after the environment names the simulator's kubeconfig.
type StatusModule = typeof import('./connection-status');
type CachesModule = typeof import('./cache/resource-caches');
type Route = typeof import('@/app/api/status/route');

describe('connection status', () => {
  let simulator: TestSimulator;
  let status: StatusModule;
  let cachesModule: CachesModule;
  let route: Route;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.admin;
    status = await import('./connection-status');
    cachesModule = await import('./cache/resource-caches');
    route = await import('@/app/api/status/route');
  });
  afterAll(async () => {
    await cachesModule?.stopResourceCaches();
    await simulator?.dispose();
  });

  it('names the cluster, context and user, never a credential, and reports every cache synced', async () => {
    const answer = await status.getConnectionStatus({ waitMs: 10_000 });
    expect(answer.kube).toMatchObject({
      state: 'connected',
      server: simulator.url,
      context: 'meshscope-sim-admin',
      user: 'meshscope-admin',
    });
    expect(answer.kube.caches.every((cache) => cache.state === 'synced')).toBe(true);
    expect(answer.telemetry).toBeNull();
    expect(answer.warnings).toEqual([]);
    const text = JSON.stringify(answer);
    for (const user of simulator.users) expect(text).not.toContain(user.token);
    expect(cachesModule.getResourceCaches()).toBe(cachesModule.getResourceCaches());
  });

  it("includes the telemetry source's description, and warns when it is unhealthy", async () => {
    const answer = await status.getConnectionStatus({
      describeTelemetry: () => ({
        name: 'prometheus',
        target: 'http://127.0.0.1:9090',
        healthy: false,
        lastError: 'connect ECONNREFUSED 127.0.0.1:9090',
      }),
    });
    expect(answer.telemetry).toMatchObject({ name: 'prometheus', healthy: false });
    expect(answer.warnings).toEqual([
      {
        source: 'prometheus',
        message: 'prometheus at http://127.0.0.1:9090 is not answering: connect ECONNREFUSED 127.0.0.1:9090',
      },
    ]);
  });

  it('GET /api/status answers 200 while the cluster is down, with the state and the age of the data', async () => {
    const up = await route.GET(signedIn('http://localhost/api/status'));
    expect(up.status).toBe(200);
    expect(up.headers.get('cache-control')).toBe('no-store');
    const upBody = (await up.json()) as {
      kube: { state: string };
      telemetry: { name: string; healthy: boolean } | null;
    };
    expect(upBody.kube.state).toBe('connected');
    // No Prometheus in the simulated cluster: the route describes the direct (sidecar) source.
    expect(upBody.telemetry).toMatchObject({ name: 'direct', healthy: true });

    await simulator.stop();
    try {
      const down = await eventually(
        async () => {
          const response = await route.GET(signedIn('http://localhost/api/status'));
          expect(response.status).toBe(200);
          const body = (await response.json()) as Awaited<ReturnType<StatusModule['getConnectionStatus']>>;
          return body.kube.state === 'disconnected' ? body : undefined;
        },
        10_000,
        'the status to say disconnected',
      );
      expect(down.kube.message).toMatch(/^Lost the connection to the Kubernetes API: data is stale since /);
      expect(down.kube.caches.every((cache) => cache.stale && cache.staleSince)).toBe(true);
      expect(Date.parse(down.kube.dataAsOf ?? '')).toBeLessThan(Date.parse(down.checkedAt));
    } finally {
      await simulator.restart();
    }
    // Default backoff (1 s doubling, capped at 30 s): back within a few seconds of a short outage.
    await eventually(
      async () => {
        const body = (await (await route.GET(signedIn('http://localhost/api/status'))).json()) as {
          kube: { state: string };
        };
        return body.kube.state === 'connected' ? true : undefined;
      },
      20_000,
      'the status to say connected again',
    );
  });

  it('refuses a malformed waitMs with 400', async () => {
    const response = await route.GET(signedIn('http://localhost/api/status?waitMs=soon'));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'invalid' });
  });
});
