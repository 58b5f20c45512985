import { describe, expect, it } from 'vitest';
import type { IstioObject } from '../types/mesh-config';
import { type AuthzAttributes, authorize, identityOf } from './authz';
import { istio } from './test-snapshot';

const domains = { trustDomain: 'cluster.local', aliases: [] };
const FRONTEND = 'cluster.local/ns/default/sa/frontend';

const policy = (name: string, spec: Record<string, unknown>, annotations: Record<string, string> = {}) =>
  istio('AuthorizationPolicy', 'default', name, spec, { annotations });

function request(overrides: Partial<AuthzAttributes> = {}): AuthzAttributes {
  return {
    principal: FRONTEND,
    sourceIp: '10.1.0.7',
    method: 'GET',
    path: '/api/users',
    host: 'backend-api',
    port: 8080,
    headers: {},
    protocol: 'http',
    ...overrides,
  };
}

const decide = (policies: IstioObject[], overrides: Partial<AuthzAttributes> = {}) =>
  authorize(policies, request(overrides), domains);

/** The seeds' example: allow GET and POST on /api/* only from default/frontend to backend-api. */
const seeds = policy('backend-api', {
  selector: { matchLabels: { app: 'backend-api' } },
  action: 'ALLOW',
  rules: [
    {
      from: [{ source: { principals: [FRONTEND] } }],
      to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/*'] } }],
    },
  ],
});

describe("the seeds' example policy", () => {
  it.each([
    ['GET /api/users from frontend', {}, 'ALLOW'],
    ['POST /api/orders from frontend', { method: 'POST', path: '/api/orders' }, 'ALLOW'],
    ['GET /api/users?page=2 from frontend (query ignored)', { path: '/api/users?page=2' }, 'ALLOW'],
    ['DELETE /api/users from frontend', { method: 'DELETE' }, 'DENY'],
    ['GET /health from frontend', { path: '/health' }, 'DENY'],
    [
      'GET /api/users from another service account',
      { principal: 'cluster.local/ns/default/sa/batch' },
      'DENY',
    ],
    ['GET /api/users in plaintext', { principal: undefined }, 'DENY'],
  ] as const)('%s: %s', (_name, overrides, decision) => {
    expect(decide([seeds], overrides).decision).toBe(decision);
  });

  it('names the policy and rule and says why in words', () => {
    const allowed = decide([seeds]);
    expect(allowed).toMatchObject({
      decision: 'ALLOW',
      policy: { namespace: 'default', name: 'backend-api', action: 'ALLOW' },
      rule: 0,
    });
    expect(allowed.reason).toContain(`principal ${FRONTEND} matches principals "${FRONTEND}"`);
    expect(allowed.reason).toContain('method GET matches methods "GET"');
    expect(allowed.reason).toContain('path /api/users matches paths "/api/*"');

    const denied = decide([seeds], { method: 'DELETE' });
    expect(denied.policy).toBeUndefined();
    expect(denied.reason).toMatch(/ALLOW policies apply \(default\/backend-api\) and none matches/);
    expect(denied.reason).toContain('method DELETE is not in methods ["GET", "POST"]');

    const plaintext = decide([seeds], { principal: undefined });
    expect(plaintext.reason).toContain('no peer identity (the connection is not mutual TLS), so principals');
  });
});

describe('sources', () => {
  const denyPlaintext = policy('deny-plaintext', {
    action: 'DENY',
    rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }],
  });

  it('matches notPrincipals ["*"] for plaintext callers only', () => {
    const plaintext = decide([denyPlaintext], { principal: undefined });
    expect(plaintext).toMatchObject({ decision: 'DENY', policy: { name: 'deny-plaintext' }, rule: 0 });
    expect(plaintext.reason).toContain('which notPrincipals ["*"] cannot exclude');
    expect(decide([denyPlaintext]).decision).toBe('ALLOW');
  });

  it('needs mutual TLS for principals ["*"], namespaces and service accounts', () => {
    const anyPeer = policy('any', { rules: [{ from: [{ source: { principals: ['*'] } }] }] });
    expect(decide([anyPeer]).decision).toBe('ALLOW');
    expect(decide([anyPeer], { principal: undefined }).decision).toBe('DENY');
    const namespaces = policy('ns', {
      rules: [{ from: [{ source: { namespaces: ['default', 'prod-*'] } }] }],
    });
    expect(decide([namespaces]).decision).toBe('ALLOW');
    expect(decide([namespaces], { principal: 'cluster.local/ns/prod-eu/sa/x' }).decision).toBe('ALLOW');
    expect(decide([namespaces], { principal: 'cluster.local/ns/dev/sa/x' }).decision).toBe('DENY');
    expect(decide([namespaces], { principal: undefined }).decision).toBe('DENY');
    const accounts = policy('sa', {
      rules: [{ from: [{ source: { serviceAccounts: ['default/frontend'] } }] }],
    });
    expect(decide([accounts]).decision).toBe('ALLOW');
    expect(decide([accounts], { principal: 'cluster.local/ns/other/sa/frontend' }).decision).toBe('DENY');
  });

  it('excludes with notNamespaces, and lets absent identities through them', () => {
    const deny = policy('deny-dev', {
      action: 'DENY',
      rules: [{ from: [{ source: { namespaces: ['*'], notNamespaces: ['default'] } }] }],
    });
    expect(decide([deny]).decision).toBe('ALLOW');
    expect(decide([deny], { principal: 'cluster.local/ns/dev/sa/a' }).decision).toBe('DENY');
    expect(decide([deny], { principal: undefined }).decision).toBe('ALLOW');
  });

  it('matches IP blocks and their negation', () => {
    const office = policy('office', {
      rules: [{ from: [{ source: { ipBlocks: ['10.1.0.0/16'], notIpBlocks: ['10.1.0.99'] } }] }],
    });
    expect(decide([office]).decision).toBe('ALLOW');
    expect(decide([office], { sourceIp: '10.2.0.1' }).decision).toBe('DENY');
    expect(decide([office], { sourceIp: '10.1.0.99' }).decision).toBe('DENY');
    const remote = policy('remote', { rules: [{ from: [{ source: { remoteIpBlocks: ['10.1.0.7'] } }] }] });
    expect(decide([remote]).decision).toBe('ALLOW');
  });

  it('matches JWT request principals only when a request principal is known', () => {
    const jwt = policy('jwt', {
      rules: [{ from: [{ source: { requestPrincipals: ['https://issuer/*'] } }] }],
    });
    expect(decide([jwt]).decision).toBe('DENY');
    expect(decide([jwt], { requestPrincipal: 'https://issuer/alice' }).decision).toBe('ALLOW');
  });

  it("matches principals of the mesh's trust domain aliases", () => {
    const old = policy('old-domain', {
      rules: [{ from: [{ source: { principals: ['old.example/ns/default/sa/frontend'] } }] }],
    });
    const aliased = { trustDomain: 'cluster.local', aliases: ['old.example'] };
    expect(authorize([old], request(), domains).decision).toBe('DENY');
    expect(authorize([old], request(), aliased).decision).toBe('ALLOW');
  });

  it('reads namespace and service account from a principal', () => {
    expect(identityOf(FRONTEND)).toEqual({ namespace: 'default', serviceAccount: 'default/frontend' });
    expect(identityOf(undefined)).toEqual({});
  });
});

describe('operations', () => {
  it.each([
    ['suffix path', { paths: ['*.png'] }, { path: '/img/a.png' }, 'ALLOW'],
    ['suffix path, other file', { paths: ['*.png'] }, { path: '/img/a.jpg' }, 'DENY'],
    ['path template', { paths: ['/users/{*}/orders'] }, { path: '/users/7/orders' }, 'ALLOW'],
    ['notPaths', { notPaths: ['/admin*'] }, { path: '/admin/users' }, 'DENY'],
    ['notPaths, other path', { notPaths: ['/admin*'] }, {}, 'ALLOW'],
    ['ports', { ports: ['8080'] }, {}, 'ALLOW'],
    ['ports, other port', { ports: ['9090'] }, {}, 'DENY'],
    ['notPorts', { notPorts: ['8080'] }, {}, 'DENY'],
    [
      'hosts, case-insensitive with a port',
      { hosts: ['Backend-API'] },
      { host: 'backend-api:8080' },
      'ALLOW',
    ],
    ['hosts, other host', { hosts: ['*.example.com'] }, {}, 'DENY'],
    ['notMethods', { notMethods: ['DELETE'] }, { method: 'DELETE' }, 'DENY'],
  ] as const)('%s', (_name, operation, overrides, decision) => {
    expect(decide([policy('op', { rules: [{ to: [{ operation }] }] })], overrides).decision).toBe(decision);
  });

  it('ORs the entries of to and ANDs the fields of one entry', () => {
    const either = policy('either', {
      rules: [
        { to: [{ operation: { methods: ['POST'] } }, { operation: { paths: ['/api/*'], ports: ['8080'] } }] },
      ],
    });
    expect(decide([either]).decision).toBe('ALLOW');
    expect(decide([either], { port: 9090 }).decision).toBe('DENY');
  });
});

describe('when conditions', () => {
  const canary = policy('canary', {
    rules: [{ when: [{ key: 'request.headers[X-Env]', values: ['canary'] }] }],
  });

  it('matches request headers by name, case-insensitively', () => {
    expect(decide([canary], { headers: { 'x-env': 'canary' } }).decision).toBe('ALLOW');
    expect(decide([canary], { headers: { 'x-env': 'prod' } }).decision).toBe('DENY');
    expect(decide([canary]).reason).toContain('request.headers[X-Env] is absent');
  });

  it('matches notValues when the attribute is absent or different', () => {
    const notProd = policy('not-prod', {
      rules: [{ when: [{ key: 'request.headers[x-env]', notValues: ['prod'] }] }],
    });
    expect(decide([notProd]).decision).toBe('ALLOW');
    expect(decide([notProd], { headers: { 'x-env': 'prod' } }).decision).toBe('DENY');
  });

  it('knows source.ip, source.namespace, source.principal and destination.port', () => {
    const all = policy('all', {
      rules: [
        {
          when: [
            { key: 'source.ip', values: ['10.1.0.0/24'] },
            { key: 'source.namespace', values: ['default'] },
            { key: 'source.principal', values: [FRONTEND] },
            { key: 'destination.port', values: ['8080'] },
          ],
        },
      ],
    });
    expect(decide([all]).decision).toBe('ALLOW');
    expect(decide([all], { port: 9000 }).decision).toBe('DENY');
  });

  it('notes keys it cannot know and treats them as absent', () => {
    const claims = policy('claims', {
      rules: [{ when: [{ key: 'request.auth.claims[groups]', values: ['admin'] }] }],
    });
    const result = decide([claims]);
    expect(result.decision).toBe('DENY');
    expect(result.notes).toEqual([
      'condition request.auth.claims[groups] is not known to the what-if check; it is evaluated as absent',
    ]);
  });
});

describe('evaluation order and special policies', () => {
  const allowAll = policy('allow-all', { rules: [{}] });
  const allowNothing = policy('allow-nothing', {});
  const denyGet = policy('deny-get', {
    action: 'DENY',
    rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
  });
  const custom = policy('ext', {
    action: 'CUSTOM',
    provider: { name: 'opa' },
    rules: [{ to: [{ operation: { paths: ['/api/*'] } }] }],
  });

  it('allows without policies, denies with an ALLOW policy without rules, allows everything with rules: [{}]', () => {
    expect(decide([]).reason).toBe('Allowed: no AuthorizationPolicy applies to this workload.');
    expect(decide([allowNothing])).toMatchObject({ decision: 'DENY' });
    expect(decide([allowNothing]).reason).toContain('it has no rules, so it allows nothing');
    expect(decide([allowAll])).toMatchObject({ decision: 'ALLOW', policy: { name: 'allow-all' }, rule: 0 });
  });

  it('evaluates DENY before ALLOW', () => {
    expect(decide([allowAll, denyGet])).toMatchObject({
      decision: 'DENY',
      policy: { name: 'deny-get', action: 'DENY' },
    });
    expect(decide([allowAll, denyGet], { method: 'POST' })).toMatchObject({
      decision: 'ALLOW',
      policy: { name: 'allow-all' },
    });
  });

  it('hands a CUSTOM match to the external authorizer, unless DENY or ALLOW deny anyway', () => {
    const external = decide([custom, allowAll]);
    expect(external).toMatchObject({
      decision: 'CUSTOM',
      policy: { name: 'ext', action: 'CUSTOM' },
      rule: 0,
    });
    expect(external.reason).toMatch(/^Needs the external authorizer opa/);
    expect(decide([custom, denyGet]).decision).toBe('DENY');
    expect(decide([custom, denyGet]).reason).toContain('external authorizer opa first');
    expect(decide([custom, allowNothing]).decision).toBe('DENY');
    expect(decide([custom], { path: '/health' }).decision).toBe('ALLOW');
    expect(decide([custom, denyGet]).trace.map((step) => step.action)).toEqual(['CUSTOM', 'DENY']);
  });

  it('never enforces dry-run policies and lets AUDIT only log', () => {
    const dryDeny = policy('dry', { action: 'DENY', rules: [{}] }, { 'istio.io/dry-run': 'true' });
    const audit = policy('audit', { action: 'AUDIT', rules: [{}] });
    const result = decide([dryDeny, audit]);
    expect(result.decision).toBe('ALLOW');
    expect(result.reason).toContain('Dry-run policies that would act: DENY policy default/dry');
    expect(result.reason).toContain('audited by AUDIT policy default/audit');
    expect(result.trace).toEqual([
      expect.objectContaining({ policy: { namespace: 'default', name: 'dry' }, dryRun: true, matched: true }),
      expect.objectContaining({ action: 'AUDIT', matched: true }),
    ]);
  });

  it('on TCP, ignores ALLOW rules with HTTP-only fields and widens DENY rules', () => {
    const allowGet = policy('allow-get', {
      rules: [{ from: [{ source: { principals: [FRONTEND] } }], to: [{ operation: { methods: ['GET'] } }] }],
    });
    const tcp = decide([allowGet], { protocol: 'tcp' });
    expect(tcp.decision).toBe('DENY');
    expect(tcp.reason).toContain('HTTP-only fields (methods) and the request is TCP');
    const denyPost = policy('deny-post', {
      action: 'DENY',
      rules: [{ to: [{ operation: { methods: ['POST'], ports: ['8080'] } }] }],
    });
    expect(decide([denyPost]).decision).toBe('ALLOW');
    expect(decide([denyPost], { protocol: 'tcp' })).toMatchObject({
      decision: 'DENY',
      policy: { name: 'deny-post' },
    });
  });
});
