/** Choosing the telemetry source at start-up, against the simulated cluster over HTTPS. */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import type { TelemetryCluster } from './kube-calls';
import { createTelemetrySource } from './source';

function clusterFor(kubeconfig: string): TelemetryCluster {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  return { server: config.getCurrentCluster()?.server ?? '', core: config.makeApiClient(CoreV1Api) };
}

describe('createTelemetrySource', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true });
  });

  afterAll(async () => {
    await simulator?.dispose();
  });

  it('uses the configured Prometheus without probing it', async () => {
    const source = await createTelemetrySource({
      cluster: clusterFor(simulator.kubeconfigs.admin),
      prometheusUrl: 'http://prometheus.example:9090/',
    });
    expect(source.name).toBe('prometheus');
    expect(source.describe()).toEqual({
      name: 'prometheus',
      target: 'http://prometheus.example:9090',
      healthy: true,
    });
    source.close();
  });

  it('scrapes sidecars when istio-system/prometheus does not answer through the API server', async () => {
    // The simulated cluster has no Prometheus Service: the service proxy answers 404.
    const source = await createTelemetrySource({ cluster: clusterFor(simulator.kubeconfigs.admin) });
    expect(source.describe()).toEqual({
      name: 'direct',
      target: 'sidecars via the Kubernetes API',
      healthy: true,
    });
    source.close();
  });

  it('scrapes sidecars when the identity may not use the service proxy', async () => {
    const source = await createTelemetrySource({ cluster: clusterFor(simulator.kubeconfigs.viewer) });
    expect(source.name).toBe('direct');
    source.close();
  });
});
