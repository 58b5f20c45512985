/**
 * Header mode: behind an authenticating proxy, which proves itself with the shared secret
 * (MESHSCOPE_PROXY_SECRET in X-Meshscope-Proxy-Secret). Without the proxy's identity, or without
 * its secret, every route is 401; with the bearer token it forwards, routes run as that user, and
 * because the proxy adds the credential to whatever the browser sends, writes still need the CSRF
 * token. No `system:` user or group is impersonated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../../sim/testing/simulator-fixture';
import { type CatalogRoute, callRoute, loadRouteCatalog, PUBLIC_ROUTES } from './route-catalog';

const ORIGIN = 'http://127.0.0.1:3000';
const PROXY_SECRET = 'routes-header-proxy-secret-0123456789';
const FROM_PROXY = { 'x-meshscope-proxy-secret': PROXY_SECRET };

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
    process.env.MESHSCOPE_PROXY_SECRET = PROXY_SECRET;
    process.env.MESHSCOPE_LOG_LEVEL = 'silent';
    adminToken = simulator.users.find((user) => user.id === 'admin')?.token ?? '';
    routes = await loadRouteCatalog();
  });
  afterAll(async () => {
    const caches = await import('../cache/resource-caches');
    await caches.stopResourceCaches();
    await simulator?.dispose();
  });

  it('refuses to start without the proxy secret', async () => {
    const { parseAuthSettings } = await import('./settings');
    const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;
    expect(() => parseAuthSettings(env({ MESHSCOPE_AUTH_MODE: 'header' }))).toThrow(
      'MESHSCOPE_AUTH_MODE=header needs MESHSCOPE_PROXY_SECRET',
    );
    expect(() =>
      parseAuthSettings(env({ MESHSCOPE_AUTH_MODE: 'header', MESHSCOPE_PROXY_SECRET: 'short' })),
    ).toThrow('MESHSCOPE_PROXY_SECRET');
    expect(parseAuthSettings(env({ MESHSCOPE_AUTH_MODE: 'token' })).proxySecret).toBe('');
  });

  it('every route but the probes answers 401 when the proxy sent no identity', async () => {
    for (const route of routes) {
      const name = `${route.method} ${route.pattern}`;
      const response = await call(route, FROM_PROXY);
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
    const who = await call(session, { ...FROM_PROXY, authorization: `Bearer ${adminToken}` });
    expect(await who.json()).toMatchObject({ mode: 'header', user: 'meshscope-admin', via: 'proxy' });

    const refused = await call(put, { ...FROM_PROXY, authorization: `Bearer ${adminToken}`, origin: ORIGIN });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('forbidden:csrf');

    const { csrfToken } = await import('./csrf');
    const { fingerprint } = await import('./crypto');
    const token = csrfToken(`token:${fingerprint(adminToken)}`);
    const passed = await call(put, {
      ...FROM_PROXY,
      authorization: `Bearer ${adminToken}`,
      origin: ORIGIN,
      'x-csrf-token': token,
    });
    // Past the guards the route judges the (empty) change: 400, not a refusal.
    expect(passed.status).toBe(400);
  });

  it('reads no identity header without the proxy secret: none or a wrong one is 401', async () => {
    const session = routes.find((route) => route.method === 'GET' && route.pattern === '/api/auth/session');
    if (!session) throw new Error('routes missing');
    const claims: Record<string, string>[] = [
      { authorization: `Bearer ${adminToken}` },
      { 'impersonate-user': 'alice', 'impersonate-group': 'developers' },
    ];
    for (const claim of claims) {
      const name = Object.keys(claim).join(',');
      expect((await call(session, claim)).status, `${name}, no secret`).toBe(401);
      const wrong = { ...claim, 'x-meshscope-proxy-secret': `${PROXY_SECRET.slice(0, -1)}X` };
      expect((await call(session, wrong)).status, `${name}, wrong secret`).toBe(401);
      const short = { ...claim, 'x-meshscope-proxy-secret': PROXY_SECRET.slice(0, 8) };
      expect((await call(session, short)).status, `${name}, truncated secret`).toBe(401);
    }
  });

  it('impersonates whom the proxy names, each group on its own, but never a system: user or group', async () => {
    const session = routes.find((route) => route.method === 'GET' && route.pattern === '/api/auth/session');
    if (!session) throw new Error('routes missing');
    const alice = await call(session, {
      ...FROM_PROXY,
      'impersonate-user': 'alice',
      'impersonate-group': 'developers, mesh-operators',
    });
    expect(alice.status).toBe(200);
    expect(await alice.json()).toMatchObject({
      mode: 'header',
      user: 'alice',
      groups: ['developers', 'mesh-operators'],
      via: 'proxy',
    });

    const masters = await call(session, {
      ...FROM_PROXY,
      'impersonate-user': 'mallory',
      'impersonate-group': 'developers, system:masters',
    });
    expect(masters.status).toBe(403);
    expect(((await masters.json()) as { code: string; message: string }).message).toContain('system:masters');
    const systemUser = await call(session, { ...FROM_PROXY, 'impersonate-user': 'system:admin' });
    expect(systemUser.status).toBe(403);
  });
});
