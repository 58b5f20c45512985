import { describe, expect, it } from 'vitest';
import { PeerAuthentications } from './peer-authentication';
import { istio, snapshotOf, workload } from './test-snapshot';

const reviews = workload('default', 'reviews-v1', { app: 'reviews', version: 'v1' });
const ratings = workload('default', 'ratings-v1', { app: 'ratings', version: 'v1' });
const elsewhere = workload('other', 'api', { app: 'reviews' });

const pa = (namespace: string, name: string, spec: Record<string, unknown>, resourceVersion?: string) =>
  istio('PeerAuthentication', namespace, name, spec, resourceVersion ? { resourceVersion } : {});

const peersOf = (...policies: ReturnType<typeof pa>[]) =>
  new PeerAuthentications(snapshotOf({ istio: policies }));

describe('effective mTLS mode from PeerAuthentications', () => {
  it("is Istio's default PERMISSIVE without any policy", () => {
    const peers = peersOf();
    expect(peers.meshMode()).toEqual({ mode: 'PERMISSIVE', origin: { level: 'default' } });
    expect(peers.portMode(reviews, 9080)).toEqual({ mode: 'PERMISSIVE', origin: { level: 'default' } });
  });

  it('inherits a mesh-wide STRICT down to namespaces, workloads and ports', () => {
    const peers = peersOf(pa('istio-system', 'default', { mtls: { mode: 'STRICT' } }));
    const mesh = {
      level: 'mesh',
      policy: { namespace: 'istio-system', name: 'default' },
      path: 'spec.mtls.mode',
    };
    expect(peers.namespaceMode('default')).toEqual({ mode: 'STRICT', origin: mesh });
    expect(peers.portMode(reviews, 9080)).toEqual({ mode: 'STRICT', origin: mesh });
  });

  it('takes port over workload over namespace over mesh', () => {
    const peers = peersOf(
      pa('istio-system', 'default', { mtls: { mode: 'STRICT' } }),
      pa('default', 'ns', { mtls: { mode: 'PERMISSIVE' } }),
      pa('default', 'reviews', {
        selector: { matchLabels: { app: 'reviews' } },
        mtls: { mode: 'DISABLE' },
        portLevelMtls: { 9080: { mode: 'STRICT' } },
      }),
    );
    expect(peers.meshMode().mode).toBe('STRICT');
    expect(peers.namespaceMode('default')).toMatchObject({
      mode: 'PERMISSIVE',
      origin: { level: 'namespace' },
    });
    expect(peers.workloadMode(ratings)).toMatchObject({ mode: 'PERMISSIVE', origin: { level: 'namespace' } });
    expect(peers.workloadMode(reviews)).toMatchObject({ mode: 'DISABLE', origin: { level: 'workload' } });
    expect(peers.portMode(reviews, 9080)).toEqual({
      mode: 'STRICT',
      origin: {
        level: 'port',
        policy: { namespace: 'default', name: 'reviews' },
        path: 'spec.portLevelMtls.9080.mode',
      },
    });
    expect(peers.portMode(reviews, 15000)).toMatchObject({ mode: 'DISABLE', origin: { level: 'workload' } });
  });

  it('lets UNSET (or no mtls) inherit at every level', () => {
    const peers = peersOf(
      pa('istio-system', 'default', { mtls: { mode: 'UNSET' } }),
      pa('default', 'ns', {}),
      pa('default', 'reviews', {
        selector: { matchLabels: { app: 'reviews' } },
        mtls: { mode: 'UNSET' },
        portLevelMtls: { 9080: { mode: 'UNSET' }, 9090: { mode: 'STRICT' } },
      }),
    );
    expect(peers.portMode(reviews, 9080)).toEqual({ mode: 'PERMISSIVE', origin: { level: 'default' } });
    expect(peers.portMode(reviews, 9090).mode).toBe('STRICT');

    const withNamespace = peersOf(
      pa('default', 'ns', { mtls: { mode: 'STRICT' } }),
      pa('default', 'reviews', {
        selector: { matchLabels: { app: 'reviews' } },
        portLevelMtls: { 9090: { mode: 'DISABLE' } },
      }),
    );
    expect(withNamespace.portMode(reviews, 9080)).toMatchObject({
      mode: 'STRICT',
      origin: { level: 'namespace' },
    });
    expect(withNamespace.portMode(reviews, 9090)).toMatchObject({
      mode: 'DISABLE',
      origin: { level: 'port' },
    });
  });

  it('ignores portLevelMtls in a policy without a selector', () => {
    const peers = peersOf(
      pa('default', 'ns', { mtls: { mode: 'PERMISSIVE' }, portLevelMtls: { 9080: { mode: 'STRICT' } } }),
    );
    expect(peers.portMode(reviews, 9080).mode).toBe('PERMISSIVE');
  });

  it('applies selector policies only in their own namespace, the root namespace included', () => {
    const peers = peersOf(
      pa('istio-system', 'reviews-everywhere', {
        selector: { matchLabels: { app: 'reviews' } },
        mtls: { mode: 'STRICT' },
      }),
      pa('default', 'reviews', { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'DISABLE' } }),
    );
    expect(peers.meshMode().mode).toBe('PERMISSIVE');
    expect(peers.workloadMode(elsewhere)).toEqual({ mode: 'PERMISSIVE', origin: { level: 'default' } });
    expect(peers.workloadMode(reviews).mode).toBe('DISABLE');
    expect(peers.workloadMode(workload('istio-system', 'r', { app: 'reviews' })).mode).toBe('STRICT');
  });

  it('uses the oldest of several policies at one level', () => {
    const peers = peersOf(
      pa('default', 'young', { mtls: { mode: 'DISABLE' } }, '900'),
      pa('default', 'old', { mtls: { mode: 'STRICT' } }, '50'),
      pa(
        'default',
        'w-young',
        { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'PERMISSIVE' } },
        '901',
      ),
      pa(
        'default',
        'w-old',
        { selector: { matchLabels: { version: 'v1' } }, mtls: { mode: 'DISABLE' } },
        '51',
      ),
    );
    expect(peers.namespaceMode('default').origin.policy?.name).toBe('old');
    expect(peers.workloadPolicies(reviews).map((policy) => policy.name)).toEqual(['w-old', 'w-young']);
    expect(peers.workloadMode(reviews)).toMatchObject({
      mode: 'DISABLE',
      origin: { policy: { name: 'w-old' } },
    });
  });
});
