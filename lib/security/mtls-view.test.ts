import { describe, expect, it } from 'vitest';
import type { IstioObject } from '../types/mesh-config';
import type { MtlsConflictCode } from '../types/security';
import type { RequestSample } from '../types/telemetry';
import { buildMtlsView } from './mtls-view';
import { istio, service, snapshotOf, workload } from './test-snapshot';

const reviews = workload('default', 'reviews-v1', { app: 'reviews', version: 'v1' });
const ratings = workload('default', 'ratings-v1', { app: 'ratings', version: 'v1' });
const mongodb = workload('default', 'mongodb-v1', { app: 'mongodb' }, { sidecar: false });
const services = [
  service('default', 'reviews', { app: 'reviews' }, [{ port: 9080 }]),
  service('default', 'ratings', { app: 'ratings' }, [{ port: 9080 }]),
  service('default', 'mongodb', { app: 'mongodb' }, [{ port: 27017, name: 'tcp-mongo' }]),
];
const pa = (namespace: string, name: string, spec: Record<string, unknown>) =>
  istio('PeerAuthentication', namespace, name, spec);
const dr = (name: string, spec: Record<string, unknown>) => istio('DestinationRule', 'default', name, spec);

function view(objects: IstioObject[], options: { requests?: RequestSample[]; autoMtls?: boolean } = {}) {
  const snapshot = snapshotOf({
    workloads: [reviews, ratings, mongodb],
    services,
    istio: objects,
    ...(options.autoMtls === undefined ? {} : { mesh: { enableAutoMtls: options.autoMtls } }),
  });
  return buildMtlsView(snapshot, ['default'], options.requests ? { requests: options.requests } : null);
}

const codes = (result: ReturnType<typeof view>) => result.conflicts.map((conflict) => conflict.code);

function sample(
  source: string,
  destination: string,
  mtls: boolean,
  rate: number,
  overrides: Partial<RequestSample> = {},
): RequestSample {
  const peer = (name: string) => ({
    namespace: name === 'unknown' ? 'unknown' : 'default',
    workload: name,
    app: name.replace(/-v1$/, ''),
    version: 'v1',
    principal: 'unknown',
  });
  const app = destination.replace(/-v1$/, '');
  return {
    reporter: 'destination',
    source: peer(source),
    destination: peer(destination),
    service: { fqdn: `${app}.default.svc.cluster.local`, name: app, namespace: 'default' },
    protocol: 'http',
    responseCode: '200',
    grpcStatus: '',
    responseFlags: '-',
    securityPolicy: mtls ? 'mutual_tls' : 'none',
    rate,
    ...overrides,
  };
}

describe('the mTLS matrix', () => {
  it('gives every workload port its mode, its origin and what clients send', () => {
    const result = view([pa('default', 'ns', { mtls: { mode: 'STRICT' } })]);
    const ratingsView = result.workloads.find((entry) => entry.name === 'ratings-v1');
    expect(ratingsView).toMatchObject({
      sidecar: true,
      mode: 'STRICT',
      origin: { level: 'namespace', policy: { namespace: 'default', name: 'ns' } },
      ports: [
        {
          port: 9080,
          mode: 'STRICT',
          services: [{ namespace: 'default', name: 'ratings', port: 9080, portName: 'http' }],
          clients: [{ clientNamespace: '*', mode: 'AUTO', mutual: true }],
        },
      ],
      observed: null,
    });
    expect(result.workloads.find((entry) => entry.name === 'mongodb-v1')?.ports[0]?.clients[0]).toMatchObject(
      {
        mode: 'AUTO',
        mutual: false,
      },
    );
  });

  it('sets the namespace and mesh locks from their workloads', () => {
    const strict = view([pa('default', 'ns', { mtls: { mode: 'STRICT' } })]);
    expect(strict.namespaces).toEqual([
      expect.objectContaining({
        namespace: 'default',
        mode: 'STRICT',
        status: 'STRICT',
        counts: { STRICT: 2, PERMISSIVE: 0, DISABLE: 0, noSidecar: 1 },
      }),
    ]);
    expect(strict.mesh).toMatchObject({
      rootNamespace: 'istio-system',
      mode: 'PERMISSIVE',
      status: 'STRICT',
      autoMtls: true,
    });
    const mixed = view([
      pa('default', 'ns', { mtls: { mode: 'STRICT' } }),
      pa('default', 'ratings', {
        selector: { matchLabels: { app: 'ratings' } },
        mtls: { mode: 'PERMISSIVE' },
      }),
    ]);
    expect(mixed.namespaces[0]?.status).toBe('MIXED');
    expect(mixed.mesh.status).toBe('MIXED');
  });
});

describe('configuration conflicts', () => {
  it.each<[string, IstioObject[], MtlsConflictCode, boolean?]>([
    [
      'a DR disabling TLS towards STRICT',
      [
        pa('default', 'ns', { mtls: { mode: 'STRICT' } }),
        dr('ratings', { host: 'ratings', trafficPolicy: { tls: { mode: 'DISABLE' } } }),
      ],
      'dr-disable-to-strict',
    ],
    [
      'TLS origination towards STRICT',
      [
        pa('default', 'ns', { mtls: { mode: 'STRICT' } }),
        dr('ratings', { host: 'ratings', trafficPolicy: { tls: { mode: 'SIMPLE' } } }),
      ],
      'dr-tls-origination-to-strict',
    ],
    [
      'ISTIO_MUTUAL towards DISABLE',
      [
        pa('default', 'ns', { mtls: { mode: 'DISABLE' } }),
        dr('ratings', { host: 'ratings', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }),
      ],
      'dr-mutual-to-disable',
    ],
    [
      'auto-mTLS towards a workload-level DISABLE',
      [pa('default', 'r', { selector: { matchLabels: { app: 'ratings' } }, mtls: { mode: 'DISABLE' } })],
      'auto-mtls-to-disable',
    ],
    [
      'ISTIO_MUTUAL towards no sidecar',
      [dr('mongodb', { host: 'mongodb', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } })],
      'dr-mutual-to-no-sidecar',
    ],
    [
      'STRICT with auto-mTLS off',
      [pa('default', 'ns', { mtls: { mode: 'STRICT' } })],
      'strict-without-client-mtls',
      false,
    ],
    [
      'a policy selecting a workload without sidecar',
      [pa('default', 'mongo', { selector: { matchLabels: { app: 'mongodb' } }, mtls: { mode: 'STRICT' } })],
      'policy-without-sidecar',
    ],
    [
      'portLevelMtls without selector',
      [pa('default', 'ns', { mtls: { mode: 'STRICT' }, portLevelMtls: { 9080: { mode: 'DISABLE' } } })],
      'port-level-without-selector',
    ],
    [
      'portLevelMtls on an unknown port',
      [
        pa('default', 'r', {
          selector: { matchLabels: { app: 'ratings' } },
          portLevelMtls: { 8080: { mode: 'DISABLE' } },
        }),
      ],
      'port-level-unknown-port',
    ],
    [
      'a selector matching nothing',
      [pa('default', 'x', { selector: { matchLabels: { app: 'nothing' } }, mtls: { mode: 'STRICT' } })],
      'selector-matches-nothing',
    ],
    [
      'two namespace-wide policies',
      [pa('default', 'a', { mtls: { mode: 'STRICT' } }), pa('default', 'b', { mtls: { mode: 'DISABLE' } })],
      'several-policies',
    ],
    ['an unknown mode', [pa('default', 'a', { mtls: { mode: 'STRICTEST' } })], 'unknown-mode'],
  ])('finds %s', (_name, objects, code, autoMtls) => {
    const result = view(objects, autoMtls === undefined ? {} : { autoMtls });
    expect(codes(result)).toContain(code);
    const conflict = result.conflicts.find((entry) => entry.code === code);
    expect(conflict?.message).not.toBe('');
    expect(conflict?.objects.length).toBeGreaterThan(0);
  });

  it('names the DestinationRule and the PeerAuthentication of a DISABLE-to-STRICT conflict', () => {
    const result = view([
      pa('default', 'ns', { mtls: { mode: 'STRICT' } }),
      dr('ratings', { host: 'ratings', trafficPolicy: { tls: { mode: 'DISABLE' } } }),
    ]);
    expect(result.conflicts[0]).toMatchObject({
      code: 'dr-disable-to-strict',
      severity: 'error',
      namespace: 'default',
      workload: 'ratings-v1',
      port: 9080,
      objects: [
        { kind: 'DestinationRule', namespace: 'default', name: 'ratings' },
        { kind: 'PeerAuthentication', namespace: 'default', name: 'ns' },
      ],
    });
  });

  it('finds nothing in a mesh with auto-mTLS and one STRICT namespace policy, except the workload without sidecar', () => {
    expect(codes(view([pa('default', 'ns', { mtls: { mode: 'STRICT' } })]))).toEqual([
      'policy-without-sidecar',
    ]);
    expect(codes(view([]))).toEqual([]);
  });
});

describe('what traffic shows', () => {
  it('reports the mTLS share per workload and per edge, with what configuration expects', () => {
    const result = view([], {
      requests: [
        sample('reviews-v1', 'ratings-v1', true, 3),
        sample('unknown', 'ratings-v1', false, 1),
        // Unrecorded security policies say nothing either way.
        sample('reviews-v1', 'ratings-v1', false, 5, { securityPolicy: 'unknown' }),
      ],
    });
    expect(result.workloads.find((entry) => entry.name === 'ratings-v1')?.observed).toEqual({
      rps: 4,
      mtlsRps: 3,
      mtlsPercent: 75,
      plaintextSources: [{ namespace: 'unknown', workload: 'unknown', rps: 1 }],
    });
    expect(result.edges).toEqual([
      expect.objectContaining({
        source: { namespace: 'default', workload: 'reviews-v1' },
        rps: 3,
        mtlsPercent: 100,
        expected: 'mutual',
      }),
      expect.objectContaining({
        source: { namespace: 'unknown', workload: 'unknown' },
        mtlsPercent: 0,
        expected: 'plaintext',
        mismatch: 'PERMISSIVE destination accepting plaintext',
      }),
    ]);
    expect(result.edges[0]?.mismatch).toBeUndefined();
  });

  it('flags PERMISSIVE receiving plaintext, and suggests STRICT where everything is mTLS', () => {
    const result = view([], {
      requests: [sample('unknown', 'ratings-v1', false, 1), sample('ratings-v1', 'reviews-v1', true, 2)],
    });
    expect(result.conflicts.map((conflict) => [conflict.code, conflict.workload])).toEqual([
      ['permissive-receives-plaintext', 'ratings-v1'],
      ['permissive-all-mtls', 'reviews-v1'],
    ]);
    expect(result.conflicts[0]?.message).toContain('callers without a sidecar (1.00 req/s)');
  });

  it('flags plaintext that reached a STRICT workload and refused connections towards one', () => {
    const refused = sample('reviews-v1', 'unknown', false, 0.5, {
      reporter: 'source',
      responseCode: '503',
      responseFlags: 'UC',
      securityPolicy: 'unknown',
      service: { fqdn: 'ratings.default.svc.cluster.local', name: 'ratings', namespace: 'default' },
    });
    const result = view([pa('default', 'ns', { mtls: { mode: 'STRICT' } })], {
      requests: [sample('unknown', 'ratings-v1', false, 1), refused],
    });
    expect(codes(result)).toEqual(
      expect.arrayContaining(['strict-received-plaintext', 'strict-plaintext-failing']),
    );
    expect(result.edges[0]?.mismatch).toBe('plaintext reached a STRICT workload within the window');
  });

  it('leaves observed empty without telemetry', () => {
    const result = view([]);
    expect(result.edges).toEqual([]);
    expect(result.workloads.every((entry) => entry.observed === null)).toBe(true);
  });
});
