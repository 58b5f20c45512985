/**
 * The graph's shared configuration snapshot on the simulated Bookinfo: the same lists while the
 * caches do not change, a new snapshot as soon as one does, and never another namespace's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { ResourceCaches } from './cache/resource-caches';
import { getConfigSnapshot, getSharedConfigSnapshot } from './config-snapshot';
import { clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';

describe('getSharedConfigSnapshot', () => {
  let simulator: TestSimulator;
  let caches: ResourceCaches;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
    caches = new ResourceCaches(
      clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.viewer, undefined)),
    );
  });
  afterAll(async () => {
    await caches?.stop();
    await simulator?.dispose();
  });

  it('gives the snapshot getConfigSnapshot builds, the same lists again until a cache changes', async () => {
    const first = await getSharedConfigSnapshot(['default'], { caches });
    const built = await getConfigSnapshot(['default'], { caches });
    expect({ ...first.snapshot, asOf: '' }).toEqual({ ...built.snapshot, asOf: '' });
    const again = await getSharedConfigSnapshot(['default'], { caches });
    expect(again.snapshot.workloads).toBe(first.snapshot.workloads);
    expect(again.snapshot.istio).toBe(first.snapshot.istio);
    expect(Date.parse(again.snapshot.asOf)).toBeGreaterThanOrEqual(Date.parse(first.snapshot.asOf));

    const other = await getSharedConfigSnapshot(['istio-system'], { caches });
    expect(other.snapshot.workloads).not.toBe(first.snapshot.workloads);
    expect(new Set(other.snapshot.workloads.map((workload) => workload.namespace))).toEqual(
      new Set(['istio-system']),
    );

    simulator.cluster.apply([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'shared-snapshot-probe', namespace: 'default' },
        spec: { host: 'details', trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } } },
      },
    ]);
    await eventually(
      () => caches.cache('destinationrules').get('shared-snapshot-probe', 'default'),
      5_000,
      'the new DestinationRule',
    );
    const changed = await getSharedConfigSnapshot(['default'], { caches });
    expect(changed.snapshot.istio).not.toBe(first.snapshot.istio);
    expect(changed.snapshot.istio.map((object) => object.name)).toContain('shared-snapshot-probe');
  });
});
