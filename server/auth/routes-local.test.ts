/**
 * Every API route (found from the app's route files) in local mode, the default: without
 * credentials, with a wrong bearer token and with the simulator's viewer token (not this launch's
 * secret) it answers 401 with an error body and no data, never a 5xx; then the CSRF matrix over
 * every mutating route with the browser's launch cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../../sim/testing/simulator-fixture';
import {
  type CatalogRoute,
  callRoute,
  loadRouteCatalog,
  PUBLIC_ROUTES,
  SIGN_IN_ROUTE,
} from './route-catalog';
import { TEST_LAUNCH_SECRET } from './testing';

const ORIGIN = 'http://127.0.0.1:3000';
const HOST = '127.0.0.1:3000';

type CsrfModule = typeof import('./csrf');
type GateModule = typeof import('./gate');

function request(route: CatalogRoute, headers: Record<string, string>, body?: string): Request {
  const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
  return new Request(`${ORIGIN}${route.path}`, {
    method: route.method,
    headers: { host: HOST, ...(hasBody ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(hasBody ? { body: body ?? '{}' } : {}),
  });
}

/** An error answer carries `{code, message, details?}` and nothing of the cluster. */
async function expectRefusal(response: Response, status: number, label: string): Promise<void> {
  expect(response.status, label).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort(), label).toEqual(['code', 'message']);
}

describe('every API route in local mode', () => {
  let simulator: TestSimulator;
  let routes: CatalogRoute[];
  let csrf: CsrfModule;
  let gate: GateModule;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.admin;
    process.env.MESHSCOPE_LOG_LEVEL = 'silent';
    routes = await loadRouteCatalog();
    csrf = await import('./csrf');
    gate = await import('./gate');
  });
  afterAll(async () => {
    const caches = await import('../cache/resource-caches');
    await caches.stopResourceCaches();
    await simulator?.dispose();
  });

  it('finds the route files (the count is in the report)', () => {
    const names = routes.map((route) => `${route.method} ${route.pattern}`);
    expect(names).toContain('GET /api/graph');
    expect(names).toContain('PUT /api/traffic-split/[namespace]/[name]');
    expect(names).toContain('GET /metrics');
    console.info(
      `route access: ${routes.length} handlers in ${new Set(routes.map((r) => r.pattern)).size} route files`,
    );
  });

  it('answers 401 without credentials, with a bad token and with the viewer token; probes stay public', async () => {
    const viewerToken = simulator.users.find((user) => user.id === 'viewer')?.token ?? '';
    for (const route of routes) {
      const name = `${route.method} ${route.pattern}`;
      for (const [label, headers] of [
        ['no credentials', {}],
        ['bad token', { authorization: 'Bearer not-the-launch-secret-at-all' }],
        ['viewer token', { authorization: `Bearer ${viewerToken}` }],
        ['bad cookie', { cookie: 'meshscope-session-3000=forged' }],
      ] as const) {
        const response = await callRoute(route, request(route, headers));
        const what = `${name} with ${label}`;
        expect(response.status, what).toBeLessThan(500);
        if (PUBLIC_ROUTES.has(name)) {
          expect(response.status, what).toBe(200);
        } else if (name === SIGN_IN_ROUTE) {
          // A sign-in with no secret in the body, whatever the headers say.
          await expectRefusal(response, 401, what);
        } else {
          await expectRefusal(response, 401, what);
        }
      }
    }
  });

  it('refuses a Host that is not loopback or allowed (DNS rebinding), even with the secret; probes answer any Host', async () => {
    for (const route of routes) {
      // Probes answer any Host: the kubelet sends the pod's IP.
      if (PUBLIC_ROUTES.has(`${route.method} ${route.pattern}`)) {
        const probe = await callRoute(route, request(route, { host: '10.1.2.3:3000' }));
        expect(probe.status, `${route.pattern} via the pod IP`).toBe(200);
        continue;
      }
      const response = await callRoute(
        route,
        request(route, { host: 'evil.example:3000', authorization: `Bearer ${TEST_LAUNCH_SECRET}` }),
      );
      await expectRefusal(response, 403, `${route.method} ${route.pattern} via evil.example`);
    }
  });

  it('CSRF matrix: every mutating route refuses foreign, null and other-port origins, a missing token, form and text bodies', async () => {
    const cookie = `meshscope-session-3000=${gate.localSessionValue()}`;
    const token = csrf.csrfToken('local');
    const mutating = routes.filter((route) => route.method !== 'GET' && route.method !== 'HEAD');
    expect(mutating.length).toBeGreaterThanOrEqual(5);
    for (const route of mutating) {
      if (`${route.method} ${route.pattern}` === SIGN_IN_ROUTE) continue;
      const name = `${route.method} ${route.pattern}`;
      const cases: [string, Record<string, string>][] = [
        ['foreign Origin', { cookie, 'x-csrf-token': token, origin: 'https://evil.example' }],
        ['null Origin', { cookie, 'x-csrf-token': token, origin: 'null' }],
        ['other localhost port', { cookie, 'x-csrf-token': token, origin: 'http://127.0.0.1:3001' }],
        ['localhost for 127.0.0.1', { cookie, 'x-csrf-token': token, origin: 'http://localhost:3000' }],
        ['missing CSRF token', { cookie, origin: ORIGIN }],
        ['wrong CSRF token', { cookie, origin: ORIGIN, 'x-csrf-token': `${token}x` }],
        ['form body', { cookie, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }],
        ['text body', { cookie, origin: ORIGIN, 'content-type': 'text/plain' }],
        ['multipart body', { cookie, origin: ORIGIN, 'content-type': 'multipart/form-data; boundary=x' }],
      ];
      for (const [label, headers] of cases) {
        const response = await callRoute(route, request(route, headers, 'resourceVersion=1'));
        expect([400, 403], `${name}: ${label}`).toContain(response.status);
      }
      // The dashboard's own page: same origin, JSON, the session's CSRF token. Past the guards,
      // the route judges the body (an empty one is a 400 `invalid`, not a refusal).
      const passed = await callRoute(
        route,
        request(route, { cookie, origin: ORIGIN, 'x-csrf-token': token }),
      );
      expect(passed.status, `${name}: same origin with token`).not.toBe(401);
      expect(passed.status, `${name}: same origin with token`).toBeLessThan(500);
      const body = (await passed.json()) as { code?: string };
      expect(body.code ?? '', `${name}: same origin with token`).not.toMatch(
        /^forbidden:(csrf|origin|host)$/,
      );
    }
  });

  it('a script with the launch secret as bearer token reads, and writes without a CSRF token', async () => {
    const graph = routes.find((route) => route.method === 'GET' && route.pattern === '/api/namespaces');
    if (!graph) throw new Error('no /api/namespaces route');
    const response = await callRoute(
      graph,
      request(graph, { authorization: `Bearer ${TEST_LAUNCH_SECRET}` }),
    );
    expect(response.status).toBe(200);
    const check = routes.find((route) => route.pattern === '/api/security/authz/check');
    if (!check) throw new Error('no authz check route');
    const refused = await callRoute(
      check,
      request(check, { authorization: `Bearer ${TEST_LAUNCH_SECRET}` }, JSON.stringify({ source: {} })),
    );
    expect(refused.status).toBe(400);
  });
});
