/**
 * Header mode: behind an authenticating proxy. Without the proxy's identity every route is 401;
 * with the bearer token it forwards, routes run as that user, and because the proxy adds the
 * credential to whatever the browser sends, writes still need the CSRF token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../../sim/testing/simulator-fixture';
import { type CatalogRoute, callRoute, loadRouteCatalog, PUBLIC_ROUTES } from './route-catalog';

const ORIGIN = 'http://127.0.0.1:3000';

function call(route: CatalogRoute, headers: Record<string, string>): Promise<Response> {
  const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
  return callRoute(
    route,
    new Request(`${ORIGIN}${route.path}`, {
      method: route.method,
      headers: {
        host: '127.0.0.1:3000',
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(hasBody ? { body: '{}' } : {}),
    }),
  );
}

describe('header mode', () => {
  let simulator: TestSimulator;
  let routes: CatalogRoute[];
  let adminToken: string;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.viewer;
    process.env.MESHSCOPE_AUTH_MODE = 'header';
    process.env.MESHSCOPE_LOG_LEVEL = 'silent';
    adminToken = simulator.users.find((user) => user.id === 'admin')?.token ?? '';
    routes = await loadRouteCatalog();
  });
  afterAll(async () => {
    const caches = await import('../cache/resource-caches');
    await caches.stopResourceCaches();
    await simulator?.dispose();
  });

  it('every route but the probes answers 401 when the proxy sent no identity', async () => {
    for (const route of routes) {
      const name = `${route.method} ${route.pattern}`;
      const response = await call(route, {});
      expect(response.status, name).toBeLessThan(500);
      if (!PUBLIC_ROUTES.has(name)) expect(response.status, name).toBe(401);
    }
  });

  it("runs as the forwarded token's user, and writes need the CSRF token", async () => {
    const session = routes.find((route) => route.method === 'GET' && route.pattern === '/api/auth/session');
    const put = routes.find(
      (route) => route.method === 'PUT' && route.pattern === '/api/traffic-split/[namespace]/[name]',
    );
    if (!session || !put) throw new Error('routes missing');
    const who = await call(session, { authorization: `Bearer ${adminToken}` });
    expect(await who.json()).toMatchObject({ mode: 'header', user: 'meshscope-admin', via: 'proxy' });

    const refused = await call(put, { authorization: `Bearer ${adminToken}`, origin: ORIGIN });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('forbidden:csrf');

    const { csrfToken } = await import('./csrf');
    const { fingerprint } = await import('./crypto');
    const token = csrfToken(`token:${fingerprint(adminToken)}`);
    const passed = await call(put, {
      authorization: `Bearer ${adminToken}`,
      origin: ORIGIN,
      'x-csrf-token': token,
    });
    // Past the guards the route judges the (empty) change: 400, not a refusal.
    expect(passed.status).toBe(400);
  });
});
