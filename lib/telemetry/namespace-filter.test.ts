import { describe, expect, it } from 'vitest';
import type { RequestSample, TelemetrySnapshot, TrafficPeer } from '../types/telemetry';
import { filterSnapshotNamespaces, snapshotNamespaces } from './namespace-filter';

function peer(namespace: string, workload: string): TrafficPeer {
  return {
    namespace,
    workload,
    app: workload,
    version: 'v1',
    principal: `spiffe://cluster.local/ns/${namespace}/sa/${workload}`,
  };
}

function sample(source: TrafficPeer, destination: TrafficPeer): RequestSample {
  return {
    reporter: 'destination',
    source,
    destination,
    service: {
      fqdn: `${destination.workload}.${destination.namespace}.svc.cluster.local`,
      name: destination.workload,
      namespace: destination.namespace,
    },
    protocol: 'http',
    responseCode: '200',
    grpcStatus: '',
    responseFlags: '-',
    securityPolicy: 'mutual_tls',
    rate: 2,
  };
}

function snapshot(requests: RequestSample[]): TelemetrySnapshot {
  return {
    source: 'direct',
    timestamp: '',
    windowSeconds: 60,
    requests,
    durations: [],
    throughput: [],
    warnings: [],
  };
}

describe('filterSnapshotNamespaces', () => {
  const outside: TrafficPeer = {
    namespace: 'unknown',
    workload: 'unknown',
    app: 'unknown',
    version: 'unknown',
    principal: 'unknown',
  };
  const input = snapshot([
    sample(peer('shop', 'web'), peer('shop', 'cart')),
    sample(peer('secret', 'billing'), peer('shop', 'cart')),
    sample(peer('shop', 'cart'), peer('secret', 'ledger')),
    sample(outside, peer('shop', 'web')),
  ]);

  it('keeps visible traffic, drops traffic into hidden namespaces, and hides hidden callers as unknown', () => {
    expect(snapshotNamespaces(input)).toEqual(new Set(['shop', 'secret']));
    const { snapshot: kept, hidden } = filterSnapshotNamespaces(input, (namespace) => namespace === 'shop');
    expect(hidden).toEqual(new Set(['secret']));
    expect(kept.requests).toHaveLength(3);
    expect(kept.requests[1]?.source).toEqual(outside);
    expect(kept.requests[1]?.rate).toBe(2);
    expect(JSON.stringify(kept)).not.toMatch(/secret|billing|ledger/);
  });

  it('changes nothing when every namespace is visible', () => {
    const { snapshot: kept, hidden } = filterSnapshotNamespaces(input, () => true);
    expect(kept).toEqual(input);
    expect(hidden.size).toBe(0);
  });
});
