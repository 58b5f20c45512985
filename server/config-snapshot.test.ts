import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import type { CachedMetadata, CachedPod } from './cache/projections';
import { ResourceCaches } from './cache/resource-caches';
import {
  buildConfigSnapshot,
  dataAsOf,
  getConfigSnapshot,
  type SnapshotInput,
  statsMatcherIncludesOutlier,
} from './config-snapshot';
import { clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';

describe('the configuration snapshot of bookinfo', () => {
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

  it('has the six Deployments of default with sidecars, and the reviews split', async () => {
    const { snapshot, warnings } = await getConfigSnapshot(['default'], { caches });
    expect(warnings).toEqual([]);
    expect(snapshot.namespaces.map((namespace) => namespace.name)).toEqual(['default']);
    expect(snapshot.rootNamespace).toBe('istio-system');
    expect(Date.now() - Date.parse(snapshot.asOf)).toBeLessThan(5_000);

    const deployments = snapshot.workloads.filter((workload) => workload.kind === 'Deployment');
    expect(deployments.map((workload) => workload.name)).toEqual([
      'details-v1',
      'productpage-v1',
      'ratings-v1',
      'reviews-v1',
      'reviews-v2',
      'reviews-v3',
    ]);
    expect(snapshot.workloads).toHaveLength(6);
    for (const workload of deployments) {
      expect(workload, workload.name).toMatchObject({
        namespace: 'default',
        sidecar: true,
        outlierStatsEnabled: true,
        serviceAccount: `bookinfo-${workload.app}`,
      });
      expect(workload.pods).toBeGreaterThan(0);
      expect(workload.readyReplicas).toBe(workload.desiredReplicas);
    }
    expect(deployments.find((workload) => workload.name === 'reviews-v3')).toMatchObject({
      app: 'reviews',
      version: 'v3',
    });

    expect(snapshot.pods.length).toBeGreaterThanOrEqual(6);
    const reviewsPod = snapshot.pods.find((pod) => pod.workload === 'reviews-v1');
    expect(reviewsPod).toMatchObject({ phase: 'Running', sidecar: true, serviceAccount: 'bookinfo-reviews' });
    expect(reviewsPod?.containers).toContain('istio-proxy');
    expect(reviewsPod?.podIP).not.toBe('');

    const reviews = snapshot.services.find((service) => service.name === 'reviews');
    expect(reviews).toMatchObject({
      fqdn: 'reviews.default.svc.cluster.local',
      selector: { app: 'reviews' },
      ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'TCP' }],
    });

    const vs = snapshot.istio.find((object) => object.kind === 'VirtualService' && object.name === 'reviews');
    expect(vs).toMatchObject({ namespace: 'default', apiVersion: 'networking.istio.io/v1' });
    expect(vs?.resourceVersion).not.toBe('');
    const route = (
      (vs?.spec.http ?? []) as { route: { destination: { subset: string }; weight: number }[] }[]
    )[0]?.route;
    expect(route?.map((entry) => [entry.destination.subset, entry.weight])).toEqual([
      ['v1', 50],
      ['v3', 50],
    ]);
    expect(
      snapshot.istio.filter((object) => object.kind === 'DestinationRule').length,
    ).toBeGreaterThanOrEqual(4);
    expect(new Set(snapshot.istio.map((object) => object.namespace))).toEqual(new Set(['default']));
  });

  it("adds the mesh root namespace's Istio objects, which apply everywhere, and no other namespace's", async () => {
    simulator.cluster.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'elsewhere' } },
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: 'istio-system' },
        spec: { mtls: { mode: 'STRICT' } },
      },
      {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'other', namespace: 'elsewhere' },
        spec: { mtls: { mode: 'PERMISSIVE' } },
      },
    ]);
    await eventually(
      () => caches.cache('peerauthentications').get('other', 'elsewhere'),
      5_000,
      'the PeerAuthentications',
    );
    const { snapshot } = await getConfigSnapshot(['default'], { caches });
    const peerAuthentications = snapshot.istio.filter((object) => object.kind === 'PeerAuthentication');
    expect(peerAuthentications.map((object) => [object.namespace, object.name, object.spec.mtls])).toEqual([
      ['istio-system', 'default', { mode: 'STRICT' }],
    ]);
  });

  it('covers every namespace when none is given', async () => {
    const { snapshot } = await getConfigSnapshot(undefined, { caches });
    expect(snapshot.namespaces.map((namespace) => namespace.name)).toEqual(
      expect.arrayContaining(['default', 'istio-system']),
    );
    const gateway = snapshot.workloads.find(
      (workload) => workload.namespace === 'istio-system' && workload.app.includes('ingressgateway'),
    );
    expect(gateway?.kind).toBe('Deployment');
  });
});

function meta(name: string, overrides: Partial<CachedMetadata> = {}): CachedMetadata {
  return {
    name,
    namespace: 'shop',
    uid: name,
    resourceVersion: '1',
    labels: {},
    annotations: {},
    ownerReferences: [],
    ...overrides,
  };
}

function pod(
  name: string,
  overrides: {
    metadata?: Partial<CachedMetadata>;
    containers?: string[];
    init?: { name: string; restartPolicy?: string }[];
    phase?: string;
  } = {},
): CachedPod {
  return {
    metadata: meta(name, overrides.metadata),
    spec: {
      serviceAccountName: 'default',
      containers: (overrides.containers ?? ['app', 'istio-proxy']).map((container) => ({
        name: container,
        ports: container === 'app' ? [{ name: 'web', containerPort: 8080, protocol: 'TCP' }] : [],
      })),
      initContainers: overrides.init ?? [],
    },
    status: { phase: overrides.phase ?? 'Running', podIP: '10.0.0.1', ready: true },
  };
}

const emptyInput: SnapshotInput = {
  namespaces: [],
  services: [],
  pods: [],
  deployments: [],
  replicasets: [],
  configmaps: [],
  istio: [],
  namespacesKnown: true,
  asOf: '2026-01-01T00:00:00.000Z',
};

describe('buildConfigSnapshot', () => {
  it('makes workloads of bare pods, StatefulSets and native-sidecar pods', () => {
    const owner = (kind: string, name: string) => [
      { apiVersion: 'apps/v1', kind, name, uid: name, controller: true },
    ];
    const snapshot = buildConfigSnapshot({
      ...emptyInput,
      pods: [
        pod('debug', { metadata: { labels: { app: 'debug' } }, containers: ['shell'] }),
        pod('db-0', {
          metadata: {
            labels: { app: 'db', 'controller-revision-hash': 'x' },
            ownerReferences: owner('StatefulSet', 'db'),
          },
        }),
        pod('db-1', {
          metadata: { labels: { app: 'db' }, ownerReferences: owner('StatefulSet', 'db') },
          phase: 'Pending',
        }),
        pod('native', {
          containers: ['app'],
          init: [{ name: 'istio-init' }, { name: 'istio-proxy', restartPolicy: 'Always' }],
        }),
      ],
    });
    expect(
      snapshot.workloads.map((workload) => [workload.kind, workload.name, workload.sidecar, workload.pods]),
    ).toEqual([
      ['StatefulSet', 'db', true, 1],
      ['Pod', 'debug', false, 1],
      ['Pod', 'native', true, 1],
    ]);
    expect(snapshot.workloads[0]).toMatchObject({ app: 'db', labels: { app: 'db' }, desiredReplicas: 2 });
    expect(snapshot.pods.find((entry) => entry.name === 'db-1')?.workload).toBe('db');
  });

  it('resolves named target ports and reads mesh-wide stats and root namespace from the mesh config', () => {
    const snapshot = buildConfigSnapshot({
      ...emptyInput,
      pods: [pod('web-1', { metadata: { labels: { app: 'web' } } })],
      services: [
        {
          metadata: meta('web'),
          spec: {
            type: 'ClusterIP',
            clusterIP: '10.1.0.1',
            selector: { app: 'web' },
            ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }],
          },
        },
      ],
      configmaps: [
        {
          metadata: meta('istio', { namespace: 'istio-system' }),
          data: {
            mesh: 'rootNamespace: mesh-root\ndefaultConfig:\n  proxyStatsMatcher:\n    inclusionSuffixes: [outlier_detection.ejections_active]\n',
          },
        },
      ],
    });
    expect(snapshot.services[0]?.ports[0]?.targetPort).toBe(8080);
    expect(snapshot.services[0]?.fqdn).toBe('web.shop.svc.cluster.local');
    expect(snapshot.rootNamespace).toBe('mesh-root');
    expect(snapshot.workloads[0]?.outlierStatsEnabled).toBe(true);
  });
});

describe('statsMatcherIncludesOutlier', () => {
  it('reads regexps as whole-name matches, and prefixes and suffixes', () => {
    const matcher = (proxyStatsMatcher: unknown) => statsMatcherIncludesOutlier({ proxyStatsMatcher });
    expect(matcher({ inclusionRegexps: ['.*outlier_detection.*'] })).toBe(true);
    expect(matcher({ inclusionRegexps: ['outlier_detection'] })).toBe(false);
    expect(matcher({ inclusionRegexps: ['(['] })).toBe(false);
    expect(matcher({ inclusionPrefixes: ['cluster.outbound'] })).toBe(true);
    expect(matcher({ inclusionSuffixes: ['upstream_rq_pending_overflow'] })).toBe(false);
    expect(matcher(undefined)).toBe(false);
  });
});

describe('dataAsOf', () => {
  it('is now, or when the oldest stale cache lost its watch', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const base = { kind: 'Pod', apiVersion: 'v1', objects: 1, relists: 0, restarts: 0 };
    expect(dataAsOf([{ ...base, resource: 'pods', state: 'synced', stale: false }], now)).toBe(
      '2026-01-01T12:00:00.000Z',
    );
    expect(
      dataAsOf(
        [
          { ...base, resource: 'pods', state: 'stale', stale: true, staleSince: '2026-01-01T11:59:00.000Z' },
          {
            ...base,
            resource: 'services',
            state: 'stale',
            stale: true,
            staleSince: '2026-01-01T11:58:00.000Z',
          },
        ],
        now,
      ),
    ).toBe('2026-01-01T11:58:00.000Z');
  });
});
