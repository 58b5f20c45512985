import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../types/graph';
import type { ConfigSnapshot, WorkloadInfo } from '../types/mesh-config';
import { summarizeNamespaces } from './namespace-overview';

function workload(namespace: string, name: string): WorkloadInfo {
  return {
    namespace,
    name,
    kind: 'Deployment',
    app: name,
    version: 'v1',
    labels: {},
    serviceAccount: 'default',
    desiredReplicas: 1,
    readyReplicas: 1,
    pods: 1,
    sidecar: true,
    outlierStatsEnabled: false,
  } as WorkloadInfo;
}

function node(
  namespace: string,
  name: string,
  inboundRps: number,
  inboundErrorRate: number,
  status: GraphNode['health']['status'],
): GraphNode {
  return {
    id: `wl:${namespace}:${name}`,
    kind: 'workload',
    namespace,
    name,
    badges: [],
    health: { status, errorRate: inboundErrorRate },
    traffic: { inboundRps, outboundRps: 0, inboundErrorRate, outboundErrorRate: 0 },
  };
}

const config = {
  namespaces: [
    { name: 'default', labels: {} },
    { name: 'quiet', labels: {} },
    { name: 'empty', labels: {} },
  ],
  services: [
    { namespace: 'default', name: 'reviews' },
    { namespace: 'quiet', name: 'q' },
  ],
  workloads: [workload('default', 'reviews-v1'), workload('default', 'reviews-v3'), workload('quiet', 'q')],
  pods: [],
  rootNamespace: 'istio-system',
  istio: [
    { namespace: 'default', name: 'reviews', kind: 'VirtualService' },
    { namespace: 'default', name: 'reviews', kind: 'DestinationRule' },
  ],
  asOf: '2026-01-01T00:00:00Z',
} as unknown as ConfigSnapshot;

describe('summarizeNamespaces', () => {
  const summaries = summarizeNamespaces(config, [
    node('default', 'reviews-v1', 6, 0, 'healthy'),
    node('default', 'reviews-v3', 4, 0.5, 'failure'),
  ]);

  it('counts workloads, services and Istio objects per namespace', () => {
    expect(summaries.find((entry) => entry.name === 'default')).toMatchObject({
      workloads: 2,
      services: 1,
      istioObjects: 2,
    });
  });

  it('sums the requests the workloads received and weighs their errors', () => {
    const entry = summaries.find((candidate) => candidate.name === 'default');
    expect(entry?.requestRate).toBe(10);
    expect(entry?.errorRate).toBeCloseTo(0.2);
    expect(entry?.health).toBe('failure');
  });

  it('says idle for workloads without traffic and na for an empty namespace', () => {
    expect(summaries.find((entry) => entry.name === 'quiet')?.health).toBe('idle');
    expect(summaries.find((entry) => entry.name === 'empty')).toMatchObject({ health: 'na', requestRate: 0 });
  });
});
