/**
 * The resilience list against the chaos scenario: every service of the namespace with its
 * DestinationRule in a few words, and the flaky reviews-v3 pod counted as ejected, from the
 * callers' Envoys polled through port-forwards on a fake clock shared with the traffic engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { ResourceCaches } from './cache/resource-caches';
import { getConfigSnapshot } from './config-snapshot';
import { PortForwardEnvoyAdmin } from './envoy/admin-client';
import { type Cluster, clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { ResilienceMonitor } from './resilience';
import { listResilience, type ResilienceListDependencies } from './resilience-list';
import { DirectTelemetrySource } from './telemetry/direct-source';
import { FakeClock } from './telemetry/fake-clock';

const intervalMs = 5_000;

describe('the resilience list on the chaos scenario', () => {
  let simulator: TestSimulator;
  let cluster: Cluster;
  let caches: ResourceCaches;
  let clock: FakeClock;
  let source: DirectTelemetrySource;
  let monitor: ResilienceMonitor;
  let dependencies: ResilienceListDependencies;

  async function advance(seconds: number): Promise<void> {
    for (let second = 0; second < seconds; second += 1) {
      clock.advance(1000);
      simulator.engine.tick(clock.now(), 1);
      await monitor.settled();
      await source.settled();
    }
  }

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 11 });
    cluster = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    caches = new ResourceCaches(cluster);
    clock = new FakeClock(Date.now());
    source = new DirectTelemetrySource(cluster, { clock, intervalMs });
    const snapshot = (namespaces: string[]) => getConfigSnapshot(namespaces, { caches, timeoutMs: 30_000 });
    monitor = new ResilienceMonitor(
      {
        admin: new PortForwardEnvoyAdmin(cluster.kubeConfig),
        snapshot,
        telemetry: async () => source,
        clock,
      },
      { intervalMs, idleMs: 60_000 },
    );
    dependencies = { snapshot, telemetry: async () => source, monitor };
  });

  afterAll(async () => {
    monitor?.close();
    source?.close();
    await caches?.stop();
    await simulator?.dispose();
  });

  it('lists the services with their circuit breakers, and which can eject at all, before any traffic', async () => {
    const list = await listResilience(['default'], 600, dependencies);
    expect(list.services.map((service) => service.name)).toEqual([
      'details',
      'inventory',
      'mongodb',
      'productpage',
      'ratings',
      'reviews',
    ]);
    const reviews = list.services.find((service) => service.name === 'reviews');
    expect(reviews).toMatchObject({
      destinationRule: 'default/reviews',
      outlierDetection: '3 × 5xx in 5 s → out 15 s, at most 100 % of pods',
      connectionPool: '100 connections, 100 pending, 10 per connection',
      // No traffic yet: no callers known, so nothing is polled.
      ejection: null,
    });
    expect(list.services.find((service) => service.name === 'mongodb')).toMatchObject({
      destinationRule: null,
      outlierDetection: null,
      connectionPool: null,
    });
    expect(list.callerPods).toBe(0);
  });

  it('counts the flaky pod as ejected once productpage calls reviews, polling only productpage', async () => {
    await advance(20);
    await listResilience(['default'], 600, dependencies);
    await advance(5);
    const list = await listResilience(['default'], 600, dependencies);
    expect(list.services.find((service) => service.name === 'reviews')?.ejection).toEqual({
      ejected: 1,
      total: 4,
      text: '1 of 4 pods ejected',
    });
    expect(list.services.find((service) => service.name === 'ratings')?.ejection).toBeNull();
    expect(list.callerPods).toBe(1);
  });
});
