import { describe, expect, it } from 'vitest';
import type { IstioObject } from '../types/mesh-config';
import type { AuthzCheckRequest } from '../types/security';
import { checkAuthz } from './authz-check';
import { istio, service, snapshotOf, workload } from './test-snapshot';

const productpage = workload(
  'default',
  'productpage-v1',
  { app: 'productpage' },
  { serviceAccount: 'bookinfo-productpage' },
);
const ratings = workload('default', 'ratings-v1', { app: 'ratings' }, { serviceAccount: 'bookinfo-ratings' });
const mongodb = workload('default', 'mongodb-v1', { app: 'mongodb' }, { sidecar: false });
const legacy = workload('legacy', 'legacy-client', { app: 'legacy-client' }, { sidecar: false });
const services = [
  service('default', 'ratings', { app: 'ratings' }, [{ port: 80, targetPort: 9080 }]),
  service('default', 'mongodb', { app: 'mongodb' }, [{ port: 27017 }]),
];
const denyPlaintext = istio('AuthorizationPolicy', 'default', 'ratings-deny-plaintext', {
  selector: { matchLabels: { app: 'ratings' } },
  action: 'DENY',
  rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }],
});

function check(objects: IstioObject[], body: Partial<AuthzCheckRequest> & Pick<AuthzCheckRequest, 'source'>) {
  const snapshot = snapshotOf({
    workloads: [productpage, ratings, mongodb, legacy],
    services,
    istio: objects,
  });
  const result = checkAuthz(snapshot, {
    destination: { namespace: 'default', workload: 'ratings-v1' },
    request: { method: 'GET', path: '/ratings/1', port: 9080 },
    ...body,
  });
  if (!result.ok) throw new Error(result.message);
  return result.answer;
}

describe('the what-if check', () => {
  it('denies the plaintext legacy caller with the DENY policy, naming it and rule 0', () => {
    const answer = check([denyPlaintext], { source: { namespace: 'legacy', workload: 'legacy-client' } });
    expect(answer).toMatchObject({
      decision: 'DENY',
      stage: 'authorization',
      policy: {
        kind: 'AuthorizationPolicy',
        namespace: 'default',
        name: 'ratings-deny-plaintext',
        action: 'DENY',
      },
      rule: 0,
      peer: { mtls: false, ip: '10.1.0.4', port: 9080 },
    });
    expect(answer.reason).toContain('no sidecar, so it sends plaintext');
  });

  it('takes a namespace whose workloads have no sidecar as a plaintext caller', () => {
    const answer = check([denyPlaintext], { source: { namespace: 'legacy' } });
    expect(answer.decision).toBe('DENY');
    expect(answer.notes).toEqual([
      'no service account or principal given: assumed service account legacy/default',
      'no workload of legacy runs a sidecar: the caller is taken to send plaintext',
    ]);
  });

  it('allows an in-mesh caller, whose identity the destination sees over mTLS', () => {
    const answer = check([denyPlaintext], { source: { namespace: 'default', workload: 'productpage-v1' } });
    expect(answer).toMatchObject({
      decision: 'ALLOW',
      peer: {
        mtls: true,
        principal: 'cluster.local/ns/default/sa/bookinfo-productpage',
        namespace: 'default',
      },
    });
    expect(answer.trace).toEqual([expect.objectContaining({ action: 'DENY', matched: false })]);
  });

  it('refuses plaintext at the connection when the port is STRICT, naming the PeerAuthentication', () => {
    const strict = istio('PeerAuthentication', 'default', 'strict', { mtls: { mode: 'STRICT' } });
    const answer = check([denyPlaintext, strict], {
      source: { namespace: 'legacy', workload: 'legacy-client' },
    });
    expect(answer).toMatchObject({
      decision: 'DENY',
      stage: 'connection',
      policy: { kind: 'PeerAuthentication', namespace: 'default', name: 'strict' },
      trace: [],
    });
    expect(answer.rule).toBeUndefined();
    expect(answer.reason).toMatch(/^Refused before authorization: default\/ratings-v1:9080 is STRICT/);
  });

  it('refuses mutual TLS to a port with mTLS disabled, from a DestinationRule or auto-mTLS', () => {
    const disabled = istio('PeerAuthentication', 'default', 'off', {
      selector: { matchLabels: { app: 'ratings' } },
      mtls: { mode: 'DISABLE' },
    });
    const mutual = istio('DestinationRule', 'default', 'ratings', {
      host: 'ratings',
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
    });
    const productpageSource = { source: { namespace: 'default', serviceAccount: 'bookinfo-productpage' } };
    expect(check([disabled, mutual], productpageSource)).toMatchObject({
      decision: 'DENY',
      stage: 'connection',
      policy: { kind: 'DestinationRule', name: 'ratings' },
    });
    // auto-mTLS reads only namespace and mesh modes: a workload-level DISABLE still gets mTLS.
    const auto = check([disabled], productpageSource);
    expect(auto).toMatchObject({
      decision: 'DENY',
      stage: 'connection',
      policy: { kind: 'PeerAuthentication', name: 'off' },
    });
    expect(auto.reason).toContain('auto-mTLS reads only namespace and mesh PeerAuthentications');
    const plaintext = istio('DestinationRule', 'default', 'ratings', {
      host: 'ratings',
      trafficPolicy: { tls: { mode: 'DISABLE' } },
    });
    expect(check([disabled, plaintext], productpageSource)).toMatchObject({
      decision: 'ALLOW',
      peer: { mtls: false },
    });
    const namespaceWide = istio('PeerAuthentication', 'default', 'ns-off', { mtls: { mode: 'DISABLE' } });
    expect(check([namespaceWide], productpageSource)).toMatchObject({
      decision: 'ALLOW',
      peer: { mtls: false },
    });
  });

  it('translates a service port to the workload port, and fills an omitted port and host', () => {
    const onPort = istio('AuthorizationPolicy', 'default', 'port', {
      rules: [{ to: [{ operation: { ports: ['9080'], hosts: ['ratings'] } }] }],
    });
    const viaService = check([onPort], {
      source: { namespace: 'default', workload: 'productpage-v1' },
      request: { method: 'GET', path: '/', port: 80 },
    });
    expect(viaService).toMatchObject({ decision: 'ALLOW', peer: { port: 9080 } });
    expect(viaService.notes).toContain(
      'port 80 is a port of Service ratings: the workload receives it on 9080',
    );
    const omitted = check([onPort], {
      source: { namespace: 'default', workload: 'productpage-v1' },
      request: { method: 'GET', path: '/' },
    });
    expect(omitted.decision).toBe('ALLOW');
    expect(omitted.notes).toEqual([
      'no port given: used 9080, the only port Services send to on ratings-v1',
      "no host given: used ratings, the Service's name",
    ]);
  });

  it('uses an explicit principal and IP', () => {
    const ip = istio('AuthorizationPolicy', 'default', 'ip', {
      rules: [
        { from: [{ source: { ipBlocks: ['192.168.0.0/16'], principals: ['spiffe-less/ns/x/sa/y'] } }] },
      ],
    });
    const answer = check([ip], {
      source: { namespace: 'x', principal: 'spiffe://spiffe-less/ns/x/sa/y', ip: '192.168.3.4' },
    });
    expect(answer).toMatchObject({
      decision: 'ALLOW',
      peer: { mtls: true, principal: 'spiffe-less/ns/x/sa/y', namespace: 'x', ip: '192.168.3.4' },
    });
  });

  it('allows anything to a workload without a sidecar, since nothing enforces policy there', () => {
    const denyAll = istio('AuthorizationPolicy', 'default', 'deny-all', { action: 'DENY', rules: [{}] });
    const answer = check([denyAll], {
      source: { namespace: 'legacy' },
      destination: { namespace: 'default', workload: 'mongodb-v1' },
    });
    expect(answer.decision).toBe('ALLOW');
    expect(answer.reason).toContain('has no sidecar');
  });

  it('answers not-found for an unknown destination or source workload', () => {
    const result = checkAuthz(snapshotOf({ workloads: [ratings] }), {
      source: { namespace: 'default' },
      destination: { namespace: 'default', workload: 'nope' },
      request: { method: 'GET', path: '/' },
    });
    expect(result).toEqual({
      ok: false,
      problem: 'not-found',
      message: 'No workload nope in namespace default',
    });
    const source = checkAuthz(snapshotOf({ workloads: [ratings] }), {
      source: { namespace: 'default', workload: 'nope' },
      destination: { namespace: 'default', workload: 'ratings-v1' },
      request: { method: 'GET', path: '/' },
    });
    expect(source).toEqual({
      ok: false,
      problem: 'not-found',
      message: 'No source workload nope in namespace default',
    });
  });
});
