/**
 * The Envoy admin client against the simulated chaos mesh over real HTTPS: port-forwards to
 * 15000 through client-node, the allow-list, and what failures become.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClusters } from '@/lib/envoy/clusters';
import { podNames } from '@/sim/testing/cluster-client';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { AppError } from '../errors';
import { checkedAdminPath, PortForwardEnvoyAdmin } from './admin-client';

function kubeConfig(path: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(path);
  return config;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('PortForwardEnvoyAdmin on the chaos scenario', () => {
  let simulator: TestSimulator;
  let admin: PortForwardEnvoyAdmin;
  let productpage: string;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 3 });
    admin = new PortForwardEnvoyAdmin(kubeConfig(simulator.kubeconfigs.admin), { concurrency: 3 });
    const now = Date.now();
    for (let second = 1; second <= 3; second += 1) simulator.engine.tick(now + second * 1000, 1);
    [productpage = ''] = await podNames(simulator, 'default', 'app=productpage');
  });
  afterAll(async () => simulator?.dispose());

  it('reads /clusters as text and as JSON, the same hosts either way', async () => {
    const text = await admin.get({ namespace: 'default', pod: productpage, path: '/clusters' });
    const json = await admin.get({
      namespace: 'default',
      pod: productpage,
      path: '/clusters',
      query: { format: 'json' },
    });
    expect(json.contentType).toContain('application/json');
    const v3 = 'outbound|9080|v3|reviews.default.svc.cluster.local';
    const fromText = parseClusters(text.body).find((cluster) => cluster.name === v3);
    const fromJson = parseClusters(json.body).find((cluster) => cluster.name === v3);
    expect(fromText?.hosts).toHaveLength(2);
    expect(fromJson?.hosts.map((host) => host.address)).toEqual(fromText?.hosts.map((host) => host.address));
    expect(fromJson?.circuitBreakers[0]).toMatchObject({ maxConnections: 100, maxPendingRequests: 100 });
    expect(json.durationMs).toBeGreaterThan(0);
  });

  it('reads the other allowed paths', async () => {
    const ready = await admin.get({ namespace: 'default', pod: productpage, path: '/ready' });
    expect(ready.body.trim()).toBe('LIVE');
    const info = JSON.parse(
      (await admin.get({ namespace: 'default', pod: productpage, path: '/server_info' })).body,
    );
    expect(info.state).toBe('LIVE');
    const stats = await admin.get({
      namespace: 'default',
      pod: productpage,
      path: '/stats/prometheus',
      query: { filter: 'outlier_detection' },
    });
    expect(stats.body).toContain('envoy_server_live');
  });

  it('keeps up under concurrency, a few at a time', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => admin.get({ namespace: 'default', pod: productpage, path: '/ready' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
  });

  it('refuses paths and parameters outside the allow-list before any request', async () => {
    expect(() => checkedAdminPath('/quitquitquit')).toThrow(/not one Meshscope reads/);
    expect(() => checkedAdminPath('/logging', { level: 'debug' })).toThrow(AppError);
    expect(() => checkedAdminPath('/clusters', { format: 'json', extra: '1' })).toThrow(/takes no extra/);
    expect(checkedAdminPath('/clusters', { format: 'json' })).toEqual({
      path: '/clusters',
      search: '?format=json',
    });
    const error = await failure(
      admin.get({ namespace: 'default', pod: productpage, path: '/healthcheck/fail' as '/ready' }),
    );
    expect(error.code).toBe('invalid:envoy-admin');
  });

  it('says why when there is no Envoy, no pod, or no right to port-forward', async () => {
    const [mongodb = ''] = await podNames(simulator, 'default', 'app=mongodb');
    const noSidecar = await failure(admin.get({ namespace: 'default', pod: mongodb, path: '/clusters' }));
    expect(noSidecar.code).toBe('unavailable:envoy');
    const missing = await failure(admin.get({ namespace: 'default', pod: 'no-such-pod', path: '/clusters' }));
    expect(missing.code).toBe('not-found');
    const viewer = new PortForwardEnvoyAdmin(kubeConfig(simulator.kubeconfigs.viewer));
    const forbidden = await failure(
      viewer.get({ namespace: 'default', pod: productpage, path: '/clusters' }),
    );
    expect(forbidden.code).toBe('forbidden:kube');
  });

  it('gives up at its deadline', async () => {
    const hasty = new PortForwardEnvoyAdmin(kubeConfig(simulator.kubeconfigs.admin), { timeoutMs: 1 });
    const error = await failure(hasty.get({ namespace: 'default', pod: productpage, path: '/config_dump' }));
    expect(error.code).toBe('unavailable:envoy');
    expect(error.message).toMatch(/timed out/);
  });
});
