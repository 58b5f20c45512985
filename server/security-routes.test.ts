/**
 * The security routes through the process's own caches and telemetry source (configured by
 * environment, as the launcher does, talking HTTPS to the simulated `chaos` mesh): status codes,
 * error bodies and the shapes docs/api.md promises.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '@/lib/types/api';
import type { AuthzCheckResponse, MtlsResponse, PoliciesResponse } from '@/lib/types/security';
import { startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { signedIn } from './auth/testing';

// Server modules are imported after the environment names the simulator's kubeconfig.
type CachesModule = typeof import('./cache/resource-caches');
type TelemetryModule = typeof import('./telemetry/source');
type MtlsRoute = typeof import('@/app/api/security/mtls/route');
type CheckRoute = typeof import('@/app/api/security/authz/check/route');
type PoliciesRoute = typeof import('@/app/api/security/policies/route');

const BASE = 'http://127.0.0.1:3000';

describe('the security API', () => {
  let simulator: TestSimulator;
  let caches: CachesModule;
  let telemetry: TelemetryModule;
  let mtls: MtlsRoute;
  let check: CheckRoute;
  let policies: PoliciesRoute;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.admin;
    process.env.MESHSCOPE_LOG_LEVEL = 'error';
    caches = await import('./cache/resource-caches');
    telemetry = await import('./telemetry/source');
    mtls = await import('@/app/api/security/mtls/route');
    check = await import('@/app/api/security/authz/check/route');
    policies = await import('@/app/api/security/policies/route');
  });
  afterAll(async () => {
    (await telemetry?.getTelemetrySource().catch(() => undefined))?.close();
    await caches?.stopResourceCaches();
    await simulator?.dispose();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    check.POST(
      signedIn(`${BASE}/api/security/authz/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: BASE, host: '127.0.0.1:3000', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );

  const legacyToRatings = {
    source: { namespace: 'legacy', workload: 'legacy-client-v1' },
    destination: { namespace: 'default', workload: 'ratings-v1' },
    request: { method: 'GET', path: '/ratings/1', port: 9080 },
  };

  it('GET /api/security/mtls answers the matrix, with a warning while telemetry has nothing yet', async () => {
    const response = await mtls.GET(signedIn(`${BASE}/api/security/mtls?namespaces=default,legacy`));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as MtlsResponse;
    expect(body.namespaces.map((namespace) => namespace.namespace)).toEqual(['default', 'legacy']);
    expect(body.mesh).toMatchObject({ mode: 'PERMISSIVE', rootNamespace: 'istio-system' });
    expect(body.workloads.find((workload) => workload.name === 'ratings-v1')).toMatchObject({
      mode: 'PERMISSIVE',
      ports: [{ port: 9080, mode: 'PERMISSIVE', origin: { level: 'default' } }],
    });
    expect(body.workloads.find((workload) => workload.name === 'legacy-client-v1')).toMatchObject({
      sidecar: false,
    });
    expect(body.warnings.some((warning) => warning.source !== 'kube')).toBe(true);
  });

  it('GET /api/security/mtls?observed=false answers the locks from configuration alone, without telemetry', async () => {
    const response = await mtls.GET(signedIn(`${BASE}/api/security/mtls?observed=false`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as MtlsResponse;
    expect(body.telemetry).toBeNull();
    expect(body.edges).toEqual([]);
    expect(body.workloads.every((workload) => workload.observed === null)).toBe(true);
    expect(body.warnings.filter((warning) => warning.source === 'telemetry')).toEqual([]);
    expect(body.namespaces.find((namespace) => namespace.namespace === 'legacy')).toMatchObject({
      status: 'PERMISSIVE',
    });
    const bad = await mtls.GET(signedIn(`${BASE}/api/security/mtls?observed=maybe`));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiErrorBody).details?.problems).toEqual([
      'observed: must be true or false',
    ]);
  });

  it('GET /api/security/mtls refuses a bad namespace with 400 naming it', async () => {
    const response = await mtls.GET(signedIn(`${BASE}/api/security/mtls?namespaces=Not_A_Namespace`));
    expect(response.status).toBe(400);
    expect((await response.json()) as ApiErrorBody).toEqual({
      code: 'invalid',
      message: 'Invalid mTLS query: namespaces.0: must be a Kubernetes namespace name',
      details: { problems: ['namespaces.0: must be a Kubernetes namespace name'] },
    });
  });

  it('POST /api/security/authz/check answers the decision, the policy, the rule and why', async () => {
    const response = await post(legacyToRatings);
    expect(response.status).toBe(200);
    const body = (await response.json()) as AuthzCheckResponse;
    expect(body).toMatchObject({
      decision: 'DENY',
      policy: { kind: 'AuthorizationPolicy', namespace: 'default', name: 'ratings-deny-plaintext' },
      rule: 0,
      stage: 'authorization',
    });
    expect(body.reason).toMatch(/^Denied by DENY policy default\/ratings-deny-plaintext, rule 0 matches/);
  });

  it('POST /api/security/authz/check refuses bad input with 400 and each problem', async () => {
    const bad = await post({ ...legacyToRatings, request: { method: 'get', path: 'ratings' } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as ApiErrorBody;
    expect(body.code).toBe('invalid');
    expect(body.details?.problems).toEqual([
      'request.method: must be an HTTP method in capitals, such as GET',
      'request.path: must start with /',
    ]);
    expect(body.message).toContain('Invalid authorization check: request.method');

    const notJson = await post('{not json');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ApiErrorBody).message).toBe('The request body is not valid JSON.');

    const plain = await post(legacyToRatings, { 'content-type': 'text/plain' });
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as ApiErrorBody).code).toBe('invalid:content-type');

    const crossSite = await post(legacyToRatings, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
  });

  it('POST /api/security/authz/check answers 404 for a workload that does not exist', async () => {
    const response = await post({
      ...legacyToRatings,
      destination: { namespace: 'default', workload: 'ghost' },
    });
    expect(response.status).toBe(404);
    expect((await response.json()) as ApiErrorBody).toEqual({
      code: 'not-found',
      message: 'No workload ghost in namespace default',
    });
  });

  it('GET /api/security/policies lists the policies with what they select', async () => {
    const response = await policies.GET(signedIn(`${BASE}/api/security/policies?namespaces=default`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as PoliciesResponse;
    expect(
      body.authorizationPolicies.map((policy) => [policy.name, policy.selects.map((w) => w.name)]),
    ).toEqual([['ratings-deny-plaintext', ['ratings-v1']]]);
    expect(body.peerAuthentications).toEqual([]);
    expect(body.workloads.find((workload) => workload.name === 'ratings-v1')?.policies).toEqual([
      { namespace: 'default', name: 'ratings-deny-plaintext', action: 'DENY', dryRun: false },
    ]);
  });
});
