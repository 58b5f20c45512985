/**
 * For the write-path tests (traffic split, resilience editors): a simulator, clusters as its admin
 * and its viewer, caches read as the admin, and a write context acting as `tester`.
 */
import { startTestSimulator, type TestSimulator } from '../../sim/testing/simulator-fixture';
import { ResourceCaches } from '../cache/resource-caches';
import { getConfigSnapshot } from '../config-snapshot';
import { type Cluster, clusterFromKubeConfig, loadKubeConfig } from '../kube/cluster';
import type { TrafficSplitContext } from '../traffic-split';

export interface WriteFixture {
  simulator: TestSimulator;
  admin: Cluster;
  viewer: Cluster;
  caches: ResourceCaches;
  context: TrafficSplitContext;
  dispose(): Promise<void>;
}

export async function startWriteFixture(scenario: 'bookinfo' | 'chaos'): Promise<WriteFixture> {
  const simulator = await startTestSimulator({ scenario, manualTraffic: true });
  const admin = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
  const viewer = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.viewer, undefined));
  const caches = new ResourceCaches(admin);
  const context: TrafficSplitContext = {
    cluster: admin,
    actor: 'tester',
    readOnly: false,
    snapshot: (namespaces) => getConfigSnapshot(namespaces, { caches }),
  };
  return {
    simulator,
    admin,
    viewer,
    caches,
    context,
    dispose: async () => {
      await caches.stop();
      await simulator.dispose();
    },
  };
}
