import { describe, expect, it } from 'vitest';
import { describeRule } from './authz-words';
import { listPolicies } from './policies';
import { istio, snapshotOf, workload } from './test-snapshot';

describe('rules in words', () => {
  it("reads the seeds' example as the issue words it", () => {
    const rule = {
      from: [{ source: { principals: ['cluster.local/ns/default/sa/frontend'] } }],
      to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/*'] } }],
    };
    expect(describeRule(rule, 'ALLOW')).toBe(
      'allow GET, POST on /api/* from service account default/frontend',
    );
  });

  it('says what not* fields, namespaces, ports and conditions mean', () => {
    expect(describeRule({ from: [{ source: { notPrincipals: ['*'] } }] }, 'DENY')).toBe(
      'deny every request from callers without a mutual-TLS identity (plaintext)',
    );
    expect(
      describeRule(
        {
          from: [{ source: { namespaces: ['prod', 'staging'] } }, { source: { ipBlocks: ['10.0.0.0/8'] } }],
          to: [{ operation: { notMethods: ['DELETE'], ports: ['8080'] } }],
          when: [{ key: 'request.headers[x-env]', values: ['canary'] }],
        },
        'ALLOW',
      ),
    ).toBe(
      'allow methods other than DELETE on port 8080 from namespaces prod, staging or IPs 10.0.0.0/8 when request.headers[x-env] is canary',
    );
    expect(describeRule({}, 'ALLOW')).toBe('allow every request');
  });
});

describe('the policy list', () => {
  const api = workload('default', 'backend-api', { app: 'backend-api' });
  const web = workload('default', 'web', { app: 'web' });
  const batch = workload('jobs', 'batch', { app: 'batch' }, { sidecar: false });
  const snapshot = snapshotOf({
    workloads: [api, web, batch],
    istio: [
      istio('AuthorizationPolicy', 'default', 'backend-api', {
        selector: { matchLabels: { app: 'backend-api' } },
        rules: [{ to: [{ operation: { methods: ['GET'] } }] }],
      }),
      istio('AuthorizationPolicy', 'istio-system', 'deny-all-plaintext', {
        action: 'DENY',
        rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }],
      }),
      istio('AuthorizationPolicy', 'jobs', 'nothing', {}),
      istio(
        'AuthorizationPolicy',
        'default',
        'ext',
        { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] },
        { annotations: { 'istio.io/dry-run': 'true' } },
      ),
      istio('AuthorizationPolicy', 'default', 'gw', {
        targetRefs: [{ kind: 'Gateway', name: 'gw' }],
        rules: [{}],
      }),
      istio('PeerAuthentication', 'istio-system', 'default', { mtls: { mode: 'STRICT' } }),
      istio('PeerAuthentication', 'default', 'api', {
        selector: { matchLabels: { app: 'backend-api' } },
        portLevelMtls: { 8080: { mode: 'PERMISSIVE' } },
      }),
      istio('RequestAuthentication', 'default', 'jwt', { jwtRules: [{ issuer: 'https://issuer.example' }] }),
    ],
  });
  const listed = listPolicies(snapshot);
  const byName = (name: string) => listed.authorizationPolicies.find((policy) => policy.name === name);

  it('says what each AuthorizationPolicy selects and does', () => {
    expect(byName('backend-api')).toMatchObject({
      action: 'ALLOW',
      scope: 'workload',
      selector: { app: 'backend-api' },
      selects: [{ namespace: 'default', name: 'backend-api', sidecar: true }],
      summary: 'ALLOW on workloads app=backend-api in default: allow GET',
    });
    expect(byName('deny-all-plaintext')).toMatchObject({
      scope: 'mesh',
      selects: [{ name: 'backend-api' }, { name: 'web' }, { name: 'batch' }],
    });
    expect(byName('nothing')?.summary).toBe('ALLOW nothing: denies every request to every workload in jobs');
    expect(byName('ext')).toMatchObject({
      action: 'CUSTOM',
      provider: 'opa',
      dryRun: true,
      scope: 'namespace',
    });
    expect(byName('gw')).toMatchObject({ scope: 'targetRef', selects: [] });
  });

  it('lists PeerAuthentications by level and RequestAuthentications with their issuers', () => {
    expect(listed.peerAuthentications).toEqual([
      expect.objectContaining({
        name: 'api',
        level: 'workload',
        mode: 'UNSET',
        portLevel: [{ port: 8080, mode: 'PERMISSIVE' }],
        summary: 'inherits the namespace mode for workloads app=backend-api in default; port 8080 PERMISSIVE',
      }),
      expect.objectContaining({
        name: 'default',
        level: 'mesh',
        mode: 'STRICT',
        summary: 'STRICT for the mesh',
      }),
    ]);
    expect(listed.requestAuthentications).toEqual([
      expect.objectContaining({
        name: 'jwt',
        issuers: ['https://issuer.example'],
        selects: [expect.objectContaining({ name: 'backend-api' }), expect.objectContaining({ name: 'web' })],
      }),
    ]);
  });

  it('gives each workload its policies in evaluation order and its default', () => {
    const byWorkload = Object.fromEntries(listed.workloads.map((entry) => [entry.name, entry]));
    expect(byWorkload['backend-api']).toMatchObject({
      defaultAction: 'deny',
      policies: [
        { name: 'ext', action: 'CUSTOM', dryRun: true },
        { name: 'deny-all-plaintext', action: 'DENY' },
        { name: 'backend-api', action: 'ALLOW' },
      ],
    });
    expect(byWorkload.web).toMatchObject({ defaultAction: 'allow' });
    expect(byWorkload.batch).toMatchObject({ defaultAction: 'deny', sidecar: false });
  });
});
