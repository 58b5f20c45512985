/**
 * @kubernetes/client-node 2.x against the simulated cluster over real HTTPS: the calls the
 * dashboard makes, their error shapes, informers through 410s and restarts, and port-forward.
 */
import { PassThrough } from 'node:stream';
import {
  ApiException,
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type KubernetesObject,
  makeInformer,
  PatchStrategy,
  PortForward,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestSimulator, type TestSimulator } from '../testing/simulator-fixture';

const vs = { group: 'networking.istio.io', version: 'v1', namespace: 'default', plural: 'virtualservices' };
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

interface VirtualService extends KubernetesObject {
  spec: {
    hosts: string[];
    http?: { route: { destination: { host: string; subset?: string }; weight?: number }[] }[];
  };
}

function kubeconfig(path: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(path);
  return config;
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ code: number; reason: string; message: string; causes: { field?: string }[] }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body =
      typeof error.body === 'string' && error.body
        ? (JSON.parse(error.body) as {
            reason?: string;
            message?: string;
            details?: { causes?: { field?: string }[] };
          })
        : {};
    return {
      code: error.code,
      reason: body.reason ?? '',
      message: body.message ?? '',
      causes: body.details?.causes ?? [],
    };
  }
  throw new Error('expected the call to fail');
}

function virtualService(name: string, weights: [string, number][]): VirtualService {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace: 'default' },
    spec: {
      hosts: [name],
      http: [{ route: weights.map(([subset, weight]) => ({ destination: { host: name, subset }, weight })) }],
    },
  };
}

describe('client-node against the simulator', () => {
  let simulator: TestSimulator;
  let custom: CustomObjectsApi;
  let core: CoreV1Api;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
    const config = kubeconfig(simulator.kubeconfigs.admin);
    custom = config.makeApiClient(CustomObjectsApi);
    core = config.makeApiClient(CoreV1Api);
  });
  afterAll(async () => simulator.dispose());

  it('lists namespaces and pods with string resourceVersions and sidecars', async () => {
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((item) => item.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'istio-system', 'kube-system']),
    );
    expect(typeof namespaces.metadata?.resourceVersion).toBe('string');
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=reviews' });
    expect(pods.items).toHaveLength(3);
    for (const pod of pods.items) {
      expect(pod.status?.phase).toBe('Running');
      expect(pod.spec?.containers.map((container) => container.name)).toContain('istio-proxy');
      expect(pod.metadata?.labels?.version).toMatch(/^v[123]$/);
    }
  });

  it('gets the Bookinfo reviews VirtualService split 50/50 between v1 and v3', async () => {
    const reviews = (await custom.getNamespacedCustomObject({ ...vs, name: 'reviews' })) as VirtualService;
    const route = reviews.spec.http?.[0]?.route ?? [];
    expect(route.map((entry) => [entry.destination.subset, entry.weight])).toEqual([
      ['v1', 50],
      ['v3', 50],
    ]);
  });

  it('creates, merge-patches and JSON-patches a custom object, bumping generation', async () => {
    const created = (await custom.createNamespacedCustomObject({
      ...vs,
      body: virtualService('canary', [['v1', 100]]),
    })) as VirtualService;
    expect(created.metadata?.generation).toBe(1);
    expect(created.metadata?.uid).toBeTruthy();
    const merged = (await custom.patchNamespacedCustomObject(
      {
        ...vs,
        name: 'canary',
        body: {
          spec: {
            http: [
              {
                route: [
                  { destination: { host: 'canary', subset: 'v1' }, weight: 70 },
                  { destination: { host: 'canary', subset: 'v2' }, weight: 30 },
                ],
              },
            ],
          },
        },
      },
      mergePatch,
    )) as VirtualService;
    expect(merged.spec.http?.[0]?.route.map((entry) => entry.weight)).toEqual([70, 30]);
    expect(merged.metadata?.generation).toBe(2);
    const labelled = (await custom.patchNamespacedCustomObject(
      { ...vs, name: 'canary', body: { metadata: { labels: { team: 'a' } } } },
      mergePatch,
    )) as VirtualService;
    expect(labelled.metadata?.generation).toBe(2);
    const jsonPatched = (await custom.patchNamespacedCustomObject({
      ...vs,
      name: 'canary',
      body: [
        { op: 'test', path: '/spec/http/0/route/0/weight', value: 70 },
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 60 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 40 },
      ],
    })) as VirtualService;
    expect(jsonPatched.spec.http?.[0]?.route.map((entry) => entry.weight)).toEqual([60, 40]);
  });

  it('rejects a JSON patch whose test op fails with 422 and changes nothing', async () => {
    const before = (await custom.getNamespacedCustomObject({ ...vs, name: 'canary' })) as VirtualService;
    const error = await failure(
      custom.patchNamespacedCustomObject({
        ...vs,
        name: 'canary',
        body: [
          { op: 'test', path: '/spec/http/0/route/0/weight', value: 1 },
          { op: 'replace', path: '/spec/http/0/route/0/weight', value: 0 },
        ],
      }),
    );
    expect(error.code).toBe(422);
    const after = (await custom.getNamespacedCustomObject({ ...vs, name: 'canary' })) as VirtualService;
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
  });

  it('answers 409 Conflict to an update carrying a stale resourceVersion', async () => {
    const current = (await custom.getNamespacedCustomObject({ ...vs, name: 'canary' })) as VirtualService;
    await custom.patchNamespacedCustomObject(
      { ...vs, name: 'canary', body: { metadata: { labels: { touched: 'yes' } } } },
      mergePatch,
    );
    const error = await failure(
      custom.replaceNamespacedCustomObject({ ...vs, name: 'canary', body: current }),
    );
    expect(error.code).toBe(409);
    expect(error.reason).toBe('Conflict');
    const stalePatch = await failure(
      custom.patchNamespacedCustomObject(
        {
          ...vs,
          name: 'canary',
          body: { metadata: { resourceVersion: current.metadata?.resourceVersion }, spec: { hosts: ['x'] } },
        },
        mergePatch,
      ),
    );
    expect(stalePatch.code).toBe(409);
  });

  it('answers 422 with field causes from the CRD schema', async () => {
    const bad = virtualService('bad-weights', [['v1', 100]]) as unknown as {
      spec: { http: { route: { weight: unknown }[] }[] };
    };
    const firstRoute = bad.spec.http[0]?.route[0];
    if (firstRoute) firstRoute.weight = 'eighty';
    const error = await failure(custom.createNamespacedCustomObject({ ...vs, body: bad }));
    expect(error.code).toBe(422);
    expect(error.reason).toBe('Invalid');
    expect(error.causes.map((cause) => cause.field)).toContain('spec.http[0].route[0].weight');
    const noHost = await failure(
      custom.createNamespacedCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        namespace: 'default',
        plural: 'destinationrules',
        body: {
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          metadata: { name: 'no-host' },
          spec: {},
        },
      }),
    );
    expect(noHost.causes.map((cause) => cause.field)).toContain('spec.host');
  });

  it('answers 404 NotFound, 415 for strategic merge on a custom resource, and dry runs store nothing', async () => {
    expect((await failure(custom.getNamespacedCustomObject({ ...vs, name: 'nope' }))).code).toBe(404);
    const strategic = await failure(
      custom.patchNamespacedCustomObject(
        { ...vs, name: 'canary', body: { spec: { hosts: ['y'] } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(strategic.code).toBe(415);
    await custom.createNamespacedCustomObject({
      ...vs,
      body: virtualService('dry', [['v1', 100]]),
      dryRun: 'All',
    });
    expect((await failure(custom.getNamespacedCustomObject({ ...vs, name: 'dry' }))).code).toBe(404);
  });

  it('scales a deployment through the scale subresource and the controllers run the pods', async () => {
    const apps = kubeconfig(simulator.kubeconfigs.admin).makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeploymentScale(
      { name: 'ratings-v1', namespace: 'default', body: { spec: { replicas: 3 } } },
      mergePatch,
    );
    const pods = await eventually(async () => {
      const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=ratings' });
      return list.items.length === 3 ? list.items : undefined;
    });
    expect(pods.every((pod) => pod.status?.phase === 'Running')).toBe(true);
    const endpoints = await eventually(async () => {
      const found = await core.readNamespacedEndpoints({ name: 'ratings', namespace: 'default' });
      return found.subsets?.[0]?.addresses?.length === 3 ? found : undefined;
    });
    expect(endpoints.subsets?.[0]?.ports?.[0]?.port).toBe(9080);
  });

  it("refuses the viewer's patch with 403 and says so in a SelfSubjectAccessReview", async () => {
    const viewer = kubeconfig(simulator.kubeconfigs.viewer);
    const viewerCustom = viewer.makeApiClient(CustomObjectsApi);
    const list = (await viewerCustom.listNamespacedCustomObject(vs)) as { items: unknown[] };
    expect(list.items.length).toBeGreaterThan(0);
    const forbidden = await failure(
      viewerCustom.patchNamespacedCustomObject(
        { ...vs, name: 'reviews', body: { metadata: { labels: { a: 'b' } } } },
        mergePatch,
      ),
    );
    expect(forbidden.code).toBe(403);
    expect(forbidden.reason).toBe('Forbidden');
    const review = (resourceAttributes: Record<string, string>) => ({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes },
      },
    });
    const patchAttributes = {
      verb: 'patch',
      group: 'networking.istio.io',
      resource: 'virtualservices',
      namespace: 'default',
    };
    const viewerAnswer = await viewer
      .makeApiClient(AuthorizationV1Api)
      .createSelfSubjectAccessReview(review(patchAttributes));
    expect(viewerAnswer.status?.allowed).toBe(false);
    const adminAnswer = await kubeconfig(simulator.kubeconfigs.admin)
      .makeApiClient(AuthorizationV1Api)
      .createSelfSubjectAccessReview(review(patchAttributes));
    expect(adminAnswer.status?.allowed).toBe(true);
  });

  it('answers 401 to a wrong token', async () => {
    const config = kubeconfig(simulator.kubeconfigs.admin);
    const user = config.getCurrentUser();
    if (user) (user as { token?: string }).token = 'not-a-token';
    const error = await failure(config.makeApiClient(CoreV1Api).listNamespace());
    expect(error.code).toBe(401);
  });

  it("reaches Envoy's admin port through port-forward but not through the pod proxy", async () => {
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=productpage' });
    const pod = pods.items[0]?.metadata?.name ?? '';
    const proxied = await failure(
      core.connectGetNamespacedPodProxyWithPath({
        name: `${pod}:15000`,
        namespace: 'default',
        path: 'server_info',
      }),
    );
    expect(proxied.code).toBe(503);
    const stats = await core.connectGetNamespacedPodProxyWithPath({
      name: `${pod}:15090`,
      namespace: 'default',
      path: 'stats/prometheus',
    });
    expect(String(stats)).toContain('envoy_server_live');

    const output = new PassThrough();
    const input = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const forward = new PortForward(kubeconfig(simulator.kubeconfigs.admin));
    await forward.portForward('default', pod, [15000], output, null, input);
    input.write('GET /server_info HTTP/1.1\r\nHost: localhost:15000\r\nConnection: close\r\n\r\n');
    const response = await eventually(() => {
      const text = Buffer.concat(chunks).toString('utf8');
      return text.includes('"state": "LIVE"') ? text : undefined;
    });
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain(`${pod}.default`);
  });
});

describe('client-node informer against the simulator', () => {
  let simulator: TestSimulator;
  let custom: CustomObjectsApi;
  let config: KubeConfig;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
    config = kubeconfig(simulator.kubeconfigs.admin);
    custom = config.makeApiClient(CustomObjectsApi);
  });
  afterAll(async () => simulator.dispose());

  it('sees ADDED, MODIFIED and DELETED, relists after 410 Gone, and recovers from a restart', async () => {
    const seen: string[] = [];
    const errors: unknown[] = [];
    let lists = 0;
    const informer = makeInformer<VirtualService>(
      config,
      '/apis/networking.istio.io/v1/namespaces/default/virtualservices',
      () => {
        lists += 1;
        return custom.listNamespacedCustomObject(vs) as never;
      },
    );
    informer.on('add', (object) => seen.push(`add:${object.metadata?.name}`));
    informer.on('update', (object) =>
      seen.push(`update:${object.metadata?.name}:${object.spec.http?.[0]?.route[0]?.weight}`),
    );
    informer.on('delete', (object) => seen.push(`delete:${object.metadata?.name}`));
    informer.on('error', (error) => {
      errors.push(error);
      // As the dashboard must: restart a stopped informer after a pause.
      setTimeout(
        () => void informer.start().catch((restartError: unknown) => errors.push(restartError)),
        200,
      );
    });
    const started = Date.now();
    await informer.start();
    expect(Date.now() - started).toBeLessThan(5_000);
    await eventually(() => (informer.list().length >= 5 ? true : undefined));

    await custom.createNamespacedCustomObject({ ...vs, body: virtualService('watched', [['v1', 100]]) });
    await eventually(() => (seen.includes('add:watched') ? true : undefined), 10_000, 'ADDED');
    await custom.patchNamespacedCustomObject(
      {
        ...vs,
        name: 'watched',
        body: {
          spec: { http: [{ route: [{ destination: { host: 'watched', subset: 'v1' }, weight: 90 }] }] },
        },
      },
      mergePatch,
    );
    await eventually(() => (seen.includes('update:watched:90') ? true : undefined), 10_000, 'MODIFIED');
    await custom.deleteNamespacedCustomObject({ ...vs, name: 'watched' });
    await eventually(() => (seen.includes('delete:watched') ? true : undefined), 10_000, 'DELETED');

    // 410 Gone: history expires and watches end; the informer must relist and still converge.
    // In one tick: the watch ends, a change happens while the informer is away, and history expires.
    simulator.endWatches();
    simulator.cluster.operations.create(
      simulator.cluster.type('networking.istio.io', 'virtualservices'),
      'default',
      virtualService('after-gone', [['v1', 100]]),
    );
    simulator.cluster.store.compact();
    await eventually(
      () => (informer.get('after-gone', 'default') ? true : undefined),
      15_000,
      'the object created across a 410',
    );
    expect(lists).toBe(2);

    // A restart of the simulator: connections are cut, state is kept, the informer comes back.
    await eventually(
      () => (simulator.openWatches() > 0 ? true : undefined),
      10_000,
      'the informer to watch again',
    );
    await simulator.stop();
    await expect(custom.listNamespacedCustomObject(vs)).rejects.toThrow();
    await simulator.restart();
    await custom.createNamespacedCustomObject({
      ...vs,
      body: virtualService('after-restart', [['v1', 100]]),
    });
    await eventually(
      () => (informer.get('after-restart', 'default') ? true : undefined),
      20_000,
      'the object created after a restart',
    );
    expect(errors.length).toBeGreaterThan(0);
    await informer.stop();
  });

  it('answers 429 with Retry-After while throttling, and slowly when told to', async () => {
    await fetchFaults(simulator, { throttleRetryAfterSeconds: 7 });
    try {
      const throttled = await custom.listNamespacedCustomObject(vs).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(throttled).toBeInstanceOf(ApiException);
      const exception = throttled as ApiException<string>;
      expect(exception.code).toBe(429);
      expect(exception.headers['retry-after']).toBe('7');
    } finally {
      await fetchFaults(simulator, { throttleRetryAfterSeconds: null });
    }
    await fetchFaults(simulator, { latencyMs: 300 });
    const started = Date.now();
    await custom.listNamespacedCustomObject(vs);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await fetchFaults(simulator, { latencyMs: 0 });
  });
});

/** POST to the simulator's fault switches as the admin. */
async function fetchFaults(simulator: TestSimulator, body: Record<string, unknown>): Promise<void> {
  const { request } = await import('node:https');
  const admin = simulator.users.find((user) => user.id === 'admin');
  await new Promise<void>((resolve, reject) => {
    const outgoing = request(
      `${simulator.url}/simulator/v1/faults`,
      {
        method: 'POST',
        ca: simulator.caCertificate,
        headers: { Authorization: `Bearer ${admin?.token}`, 'Content-Type': 'application/json' },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200
            ? resolve()
            : reject(new Error(`faults answered ${response.statusCode}`)),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}
