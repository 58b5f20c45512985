/**
 * Token mode against the simulator: signing in checks the token with the cluster, the session
 * cookie refers to a server-side session, every route answers 401 without one, and each caller
 * reads and writes with their own token: the viewer is refused writes by the cluster's RBAC (403),
 * the admin may write, and the dashboard's own kubeconfig identity is never used for either.
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

const ORIGIN = 'http://127.0.0.1:3000';
const HOST = '127.0.0.1:3000';

function find(routes: CatalogRoute[], name: string): CatalogRoute {
  const route = routes.find((candidate) => `${candidate.method} ${candidate.pattern}` === name);
  if (!route) throw new Error(`no route ${name}`);
  return route;
}

function call(route: CatalogRoute, headers: Record<string, string>, body?: unknown): Promise<Response> {
  const hasBody = route.method !== 'GET' && route.method !== 'HEAD';
  return callRoute(
    route,
    new Request(`${ORIGIN}${route.path}`, {
      method: route.method,
      headers: { host: HOST, ...(hasBody ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(hasBody ? { body: JSON.stringify(body ?? {}) } : {}),
    }),
  );
}

/** The session and CSRF cookies a sign-in answer sets, as a browser would send them back. */
function cookiesOf(response: Response): { cookie: string; csrf: string } {
  const pairs = response.headers.getSetCookie().map((line) => line.split(';', 1)[0] ?? '');
  const csrf = pairs.find((pair) => pair.startsWith('meshscope-csrf-3000='))?.split('=')[1] ?? '';
  return { cookie: pairs.join('; '), csrf };
}

describe('token mode', () => {
  let simulator: TestSimulator;
  let routes: CatalogRoute[];
  let adminToken: string;
  let viewerToken: string;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true });
    // The dashboard's own identity is the viewer: if anything fell back to it, the admin's writes
    // below would be refused, and the viewer's reads would still work (which the 401s rule out).
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.viewer;
    process.env.MESHSCOPE_AUTH_MODE = 'token';
    process.env.MESHSCOPE_LOG_LEVEL = 'silent';
    adminToken = simulator.users.find((user) => user.id === 'admin')?.token ?? '';
    viewerToken = simulator.users.find((user) => user.id === 'viewer')?.token ?? '';
    routes = await loadRouteCatalog();
  });
  afterAll(async () => {
    const caches = await import('../cache/resource-caches');
    await caches.stopResourceCaches();
    await simulator?.dispose();
  });

  it('every route: 401 without a session and with a bad token, never data, never a 5xx', async () => {
    for (const route of routes) {
      const name = `${route.method} ${route.pattern}`;
      for (const [label, headers] of [
        ['no credentials', {}],
        ['bad bearer token', { authorization: 'Bearer definitely-not-a-token' }],
        ['unknown session', { cookie: 'meshscope-session-3000=forged-session-id' }],
      ] as const) {
        const response = await call(route, headers);
        const what = `${name} with ${label}`;
        expect(response.status, what).toBeLessThan(500);
        if (PUBLIC_ROUTES.has(name)) continue;
        expect(response.status, what).toBe(401);
        const body = (await response.json()) as Record<string, unknown>;
        expect(Object.keys(body).sort(), what).toEqual(['code', 'message']);
      }
    }
  });

  it('the viewer token as a script bearer token: every route answers as that user, never a 5xx', async () => {
    for (const route of routes) {
      const name = `${route.method} ${route.pattern}`;
      if (name === SIGN_IN_ROUTE) continue;
      const response = await call(route, { authorization: `Bearer ${viewerToken}` });
      expect(response.status, name).toBeLessThan(500);
    }
    const status = await call(find(routes, 'GET /api/auth/session'), {
      authorization: `Bearer ${viewerToken}`,
    });
    expect(await status.json()).toMatchObject({ mode: 'token', user: 'meshscope-viewer', via: 'bearer' });
  });

  it('signs in with a token checked by the cluster; a wrong token is 401 and sets no cookie', async () => {
    const signIn = find(routes, SIGN_IN_ROUTE);
    const wrong = await call(signIn, { origin: ORIGIN }, { token: 'wrong-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const foreign = await call(signIn, { origin: 'https://evil.example' }, { token: viewerToken });
    expect(foreign.status).toBe(403);

    const viewer = await call(signIn, { origin: ORIGIN }, { token: viewerToken });
    expect(viewer.status).toBe(200);
    const session = viewer.headers.getSetCookie().find((line) => line.startsWith('meshscope-session-3000='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).not.toContain(viewerToken);
    expect(JSON.stringify(await viewer.json())).not.toContain(viewerToken);
  });

  it('writes run as the caller: the viewer session is refused by RBAC, the admin session applies a split', async () => {
    const signIn = find(routes, SIGN_IN_ROUTE);
    const split = find(routes, 'GET /api/traffic-split/[namespace]/[name]');
    const put = find(routes, 'PUT /api/traffic-split/[namespace]/[name]');

    const viewer = cookiesOf(await call(signIn, { origin: ORIGIN }, { token: viewerToken }));
    const seen = await call(split, { cookie: viewer.cookie });
    expect(seen.status).toBe(200);
    const current = (await seen.json()) as {
      resourceVersion: string;
      editable: boolean;
      routes: {
        protocol: string;
        index: number;
        destinations: { host: string; subset?: string; port?: number; weight: number }[];
      }[];
    };
    expect(current.editable).toBe(false);
    const change = {
      resourceVersion: current.resourceVersion,
      routes: current.routes
        .filter((route) => route.destinations.length > 1)
        .map((route) => ({
          protocol: route.protocol,
          index: route.index,
          weights: route.destinations.map((destination, position) => ({
            host: destination.host,
            ...(destination.subset !== undefined ? { subset: destination.subset } : {}),
            ...(destination.port !== undefined ? { port: destination.port } : {}),
            weight: position === 0 ? 100 : 0,
          })),
        })),
    };
    const refused = await call(
      put,
      { cookie: viewer.cookie, origin: ORIGIN, 'x-csrf-token': viewer.csrf },
      change,
    );
    expect(refused.status).toBe(403);

    const admin = cookiesOf(await call(signIn, { origin: ORIGIN }, { token: adminToken }));
    const adminView = await call(split, { cookie: admin.cookie });
    expect(((await adminView.json()) as { editable: boolean }).editable).toBe(true);
    const noToken = await call(put, { cookie: admin.cookie, origin: ORIGIN }, change);
    expect(noToken.status).toBe(403);
    const applied = await call(
      put,
      { cookie: admin.cookie, origin: ORIGIN, 'x-csrf-token': admin.csrf },
      change,
    );
    expect(applied.status).toBe(200);

    const history = find(routes, 'GET /api/traffic-split/[namespace]/[name]/history');
    const entries = JSON.stringify(await (await call(history, { cookie: admin.cookie })).json());
    expect(entries).toContain('meshscope-admin');
    expect(entries).not.toContain(adminToken);

    const signOut = find(routes, 'DELETE /api/auth/session');
    const out = await call(signOut, { cookie: admin.cookie, origin: ORIGIN, 'x-csrf-token': admin.csrf });
    expect(out.status).toBe(200);
    expect((await call(split, { cookie: admin.cookie })).status).toBe(401);
  });
});
