/**
 * The caches where access is partial: a read-only user (who may not read secrets, which only
 * validation asks for), kinds the user is forbidden, and a cluster without Istio.
 */
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { istioCrds } from '../../sim/istio/crds';
import { eventually, startTestSimulator, type TestSimulator } from '../../sim/testing/simulator-fixture';
import { getConfigSnapshot } from '../config-snapshot';
import { clusterFromKubeConfig, loadKubeConfig } from '../kube/cluster';
import { CACHE_KINDS, KIND_SPECS } from './kinds';
import { ResourceCaches } from './resource-caches';

function cachesFor(kubeconfig: string, options: ConstructorParameters<typeof ResourceCaches>[1] = {}) {
  return new ResourceCaches(clusterFromKubeConfig(loadKubeConfig(kubeconfig, undefined)), options);
}

describe('as the read-only viewer', () => {
  let simulator: TestSimulator;
  const opened: ResourceCaches[] = [];

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
  });
  afterAll(async () => {
    await Promise.all(opened.map((caches) => caches.stop()));
    await simulator?.dispose();
  });

  it('may not list secrets, and every cache syncs because none asks for them', async () => {
    const core = loadKubeConfig(simulator.kubeconfigs.viewer, undefined).makeApiClient(CoreV1Api);
    const refused = await core.listSecretForAllNamespaces().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiException);
    expect((refused as ApiException<unknown>).code).toBe(403);

    const caches = cachesFor(simulator.kubeconfigs.viewer);
    opened.push(caches);
    const { settled, warnings } = await caches.ready(10_000);
    expect(settled).toBe(true);
    expect(warnings).toEqual([]);
    expect(caches.statuses().map((status) => status.state)).toEqual(caches.statuses().map(() => 'synced'));
    // Secrets are read (names only) by validation alone, which starts that cache on demand.
    expect(CACHE_KINDS).not.toContain('secrets');
    expect(caches.statuses().map((status) => status.resource)).not.toContain('secrets');
    expect(caches.cluster.user).toBe('meshscope-viewer');
  });

  it('puts a forbidden kind in the "forbidden" state with the message, and the rest works', async () => {
    const viewer = simulator.users.find((user) => user.id === 'viewer');
    viewer?.exceptResources?.push('authorizationpolicies', 'replicasets');
    const caches = cachesFor(simulator.kubeconfigs.viewer);
    opened.push(caches);
    const { settled, warnings } = await caches.ready(10_000);
    expect(settled).toBe(true);
    const forbidden = caches.statuses().filter((status) => status.state === 'forbidden');
    expect(forbidden.map((status) => status.resource).sort()).toEqual([
      'authorizationpolicies',
      'replicasets',
    ]);
    expect(forbidden[0]?.lastError).toMatch(/forbidden: User "meshscope-viewer" cannot list resource/);
    expect(caches.statuses().filter((status) => status.state === 'synced')).toHaveLength(
      caches.statuses().length - 2,
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(
      /^Not allowed to list and watch (ReplicaSet, AuthorizationPolicy|AuthorizationPolicy, ReplicaSet); not shown/,
    );

    // The snapshot still has the workloads: without ReplicaSets, pods map to Deployments by name.
    const { snapshot } = await getConfigSnapshot(['default'], { caches });
    expect(snapshot.workloads.filter((workload) => workload.kind === 'Deployment')).toHaveLength(6);
    expect(snapshot.workloads.every((workload) => workload.pods > 0)).toBe(true);
    expect(snapshot.istio.some((object) => object.kind === 'AuthorizationPolicy')).toBe(false);
    expect(snapshot.istio.some((object) => object.kind === 'VirtualService')).toBe(true);
  });
});

describe('on a cluster without Istio', () => {
  let simulator: TestSimulator;
  let caches: ResourceCaches;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bare' });
    caches = cachesFor(simulator.kubeconfigs.admin, { recheckMs: 1_000 });
  });
  afterAll(async () => {
    await caches?.stop();
    await simulator?.dispose();
  });

  it('reports Istio "not installed" once, serves the rest, and does not spin', async () => {
    const { settled, warnings } = await caches.ready(10_000);
    expect(settled).toBe(true);
    const istio = caches
      .statuses()
      .filter((status) => KIND_SPECS[status.resource as keyof typeof KIND_SPECS].istio);
    expect(istio.length).toBeGreaterThanOrEqual(8);
    for (const status of istio)
      expect(status, status.resource).toMatchObject({ state: 'not-installed', stale: false, objects: 0 });
    expect(caches.cache('namespaces').status().state).toBe('synced');
    expect(
      caches
        .cache('namespaces')
        .list()
        .map((namespace) => namespace.metadata.name),
    ).toContain('default');
    expect(warnings).toEqual([
      {
        source: 'kube',
        message: expect.stringMatching(/^Istio is not installed: the cluster serves none of its APIs/),
      },
    ]);
    const { snapshot } = await getConfigSnapshot(undefined, { caches });
    expect(snapshot.istio).toEqual([]);
    expect(snapshot.rootNamespace).toBe('istio-system');
    // Re-checked once per `recheckMs` (1 s here; 5 min by default), not in a loop.
    const before = caches.cache('virtualservices').status().restarts;
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(caches.cache('virtualservices').status().restarts - before).toBeLessThanOrEqual(2);
  });

  it('picks Istio up when its CRDs are installed later', async () => {
    simulator.cluster.apply(istioCrds());
    simulator.cluster.apply([
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'late', namespace: 'default' },
        spec: { hosts: ['late'], http: [{ route: [{ destination: { host: 'late' } }] }] },
      },
    ]);
    await eventually(
      () => caches.cache('virtualservices').get('late', 'default'),
      10_000,
      'the VirtualService',
    );
    expect(caches.cache('virtualservices').status()).toMatchObject({
      state: 'synced',
      apiVersion: 'networking.istio.io/v1',
    });
    await eventually(() => (caches.warnings().length === 0 ? true : undefined), 10_000, 'no warnings');
  });
});
