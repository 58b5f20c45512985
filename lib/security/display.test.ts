import { describe, expect, it } from 'vitest';
import type { MtlsResponse, WorkloadMtls } from '../types/security';
import { describeObserved, describeOrigin, matrixRows } from './display';

function workloadMtls(
  namespace: string,
  name: string,
  options: Partial<WorkloadMtls> & { service?: boolean } = {},
): WorkloadMtls {
  const { service = true, ...rest } = options;
  return {
    namespace,
    name,
    kind: 'Deployment',
    app: name,
    version: 'v1',
    serviceAccount: 'default',
    sidecar: true,
    mode: 'PERMISSIVE',
    origin: { level: 'default' },
    ports: [
      {
        port: 9080,
        mode: rest.mode ?? 'PERMISSIVE',
        origin: { level: 'default' },
        services: service ? [{ namespace, name, port: 9080, portName: 'http' }] : [],
        clients: [],
      },
    ],
    observed: null,
    ...rest,
  };
}

function view(parts: Partial<MtlsResponse>): MtlsResponse {
  return {
    timestamp: '',
    asOf: '',
    mesh: {
      rootNamespace: 'istio-system',
      mode: 'PERMISSIVE',
      origin: { level: 'default' },
      autoMtls: true,
      status: 'MIXED',
    },
    namespaces: [],
    workloads: [],
    edges: [],
    conflicts: [],
    telemetry: { source: 'direct', windowSeconds: 60 },
    warnings: [],
    ...parts,
  };
}

const counts = { STRICT: 0, PERMISSIVE: 1, DISABLE: 0, noSidecar: 0 };

describe('the mTLS matrix', () => {
  const ratings = workloadMtls('default', 'ratings-v1');
  const mongodb = workloadMtls('default', 'mongodb-v1', { sidecar: false });
  const legacy = workloadMtls('legacy', 'legacy-client-v1', { sidecar: false, service: false });
  const strictReviews = workloadMtls('default', 'reviews-v1', {
    mode: 'STRICT',
    origin: { level: 'workload', policy: { namespace: 'default', name: 'reviews' }, path: 'spec.mtls.mode' },
  });
  const namespaces = [
    {
      namespace: 'default',
      mode: 'PERMISSIVE' as const,
      origin: { level: 'default' as const },
      status: 'MIXED' as const,
      counts,
    },
    {
      namespace: 'legacy',
      mode: 'PERMISSIVE' as const,
      origin: { level: 'default' as const },
      status: 'PERMISSIVE' as const,
      counts,
    },
  ];

  it('names the plaintext caller candidates and the destinations with mismatches', () => {
    const rows = matrixRows(
      view({
        namespaces,
        workloads: [ratings, mongodb, strictReviews, legacy],
        edges: [
          {
            source: { namespace: 'unknown', workload: 'unknown' },
            destination: { namespace: 'default', workload: 'ratings-v1' },
            service: 'ratings.default.svc.cluster.local',
            rps: 1,
            mtlsPercent: 0,
            expected: 'plaintext',
            mismatch: 'PERMISSIVE destination accepting plaintext',
          },
        ],
        conflicts: [
          {
            code: 'permissive-receives-plaintext',
            severity: 'warning',
            message: 'default/ratings-v1 is PERMISSIVE and received plaintext',
            namespace: 'default',
            workload: 'ratings-v1',
            objects: [],
          },
          {
            code: 'policy-without-sidecar',
            severity: 'info',
            message: 'nothing enforces it on mongodb',
            namespace: 'default',
            workload: 'mongodb-v1',
            objects: [],
          },
        ],
      }),
    );
    expect(
      rows.map((row) => [
        row.namespace,
        row.cells.map((cell) => [cell.workload.name, cell.label, cell.mismatches.length]),
      ]),
    ).toEqual([
      [
        'default',
        [
          ['ratings-v1', 'PERMISSIVE', 1],
          // Behind a Service: a server, not the caller; an info finding is no mismatch.
          ['mongodb-v1', 'no sidecar', 0],
          ['reviews-v1', 'STRICT', 0],
        ],
      ],
      ['legacy', [['legacy-client-v1', 'no sidecar', 1]]],
    ]);
    expect(rows[1]?.cells[0]?.mismatches[0]).toBe(
      'Plaintext caller outside the mesh: requests from callers without a sidecar reached default/ratings-v1 (PERMISSIVE destination accepting plaintext)',
    );
  });

  it('blames no one without plaintext from unknown callers, and marks ports that differ as MIXED', () => {
    const mixed = workloadMtls('default', 'api', {
      mode: 'STRICT',
      ports: [
        { port: 8080, mode: 'DISABLE', origin: { level: 'port' }, services: [], clients: [] },
        { port: 9090, mode: 'STRICT', origin: { level: 'workload' }, services: [], clients: [] },
      ],
    });
    const rows = matrixRows(view({ namespaces, workloads: [mixed, legacy] }));
    expect(rows[0]?.cells[0]?.label).toBe('MIXED');
    expect(rows[1]?.cells[0]?.mismatches).toEqual([]);
  });

  it('says where a mode comes from and what was observed', () => {
    expect(describeOrigin({ level: 'default' })).toBe("Istio's default (no PeerAuthentication)");
    expect(
      describeOrigin({
        level: 'mesh',
        policy: { namespace: 'istio-system', name: 'default' },
        path: 'spec.mtls.mode',
      }),
    ).toBe('mesh-wide PeerAuthentication istio-system/default (spec.mtls.mode)');
    expect(describeObserved(ratings)).toBe('no requests observed in the window');
    expect(
      describeObserved({
        ...ratings,
        observed: { rps: 4, mtlsRps: 3, mtlsPercent: 75, plaintextSources: [] },
      }),
    ).toBe('3.00 of 4.00 req/s over mutual TLS (75 %)');
  });
});
