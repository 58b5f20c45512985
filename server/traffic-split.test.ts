import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrafficSplit, TrafficSplitChange } from '@/lib/types/traffic-split';
import { eventually } from '../sim/testing/simulator-fixture';
import { AppError } from './errors';
import type { Cluster } from './kube/cluster';
import {
  getTrafficSplit,
  getTrafficSplitHistory,
  listTrafficSplits,
  putTrafficSplit,
  READ_ONLY_REASON,
  type TrafficSplitContext,
  virtualServiceTarget,
} from './traffic-split';
import { readObject } from './writes/safe-write';
import { startWriteFixture, type WriteFixture } from './writes/testing';

async function thrown(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

type Route = { route: { destination: { subset?: string }; weight?: number }[]; match?: unknown };

async function routesOf(cluster: Cluster, name: string): Promise<Route[]> {
  const object = await readObject(cluster, virtualServiceTarget('default', name));
  return (object.spec as { http: Route[] }).http;
}

function weightsOf(routes: Route[], index = 0): string[] {
  return (routes[index]?.route ?? []).map((entry) => `${entry.destination.subset}=${entry.weight}`);
}

/** A change of the reviews route's weights, subsets in the order given (`{v1: 80, v3: 0, v2: 20}`). */
function reviewsSplit(resourceVersion: string, weights: Record<string, number>): TrafficSplitChange {
  return {
    resourceVersion,
    routes: [
      {
        index: 0,
        weights: Object.entries(weights).map(([subset, weight]) => ({ host: 'reviews', subset, weight })),
      },
    ],
  };
}

/** The 80/20/0 change of the issue, on a split read as reviews v1/v3 (v2 added to the route). */
function eightyTwenty(resourceVersion: string, dryRun = false): TrafficSplitChange {
  return { ...reviewsSplit(resourceVersion, { v1: 80, v3: 0, v2: 20 }), dryRun };
}

describe('the traffic split of a VirtualService, against the simulator', () => {
  let fixture: WriteFixture;
  let admin: Cluster;
  let viewer: Cluster;
  let context: TrafficSplitContext;

  beforeAll(async () => {
    fixture = await startWriteFixture('bookinfo');
    ({ admin, viewer, context } = fixture);
  });
  afterAll(async () => {
    await fixture?.dispose();
  });

  it('reads the weighted route, the subset it does not use yet, and that the admin may edit', async () => {
    const split = await getTrafficSplit(context, 'default', 'reviews');
    expect(split.resourceVersion).toMatch(/^\d+$/);
    expect(split.editable).toBe(true);
    expect(split.reason).toBeUndefined();
    expect(split.canEditDestinationRules).toBe(true);
    expect(split.routes).toHaveLength(1);
    expect(split.routes[0]?.destinations.map((d) => [d.subset, d.weight])).toEqual([
      ['v1', 50],
      ['v3', 50],
    ]);
    expect(split.routes[0]?.candidates.map((d) => d.subset)).toEqual(['v2']);
    expect(split.subsetOffers).toEqual([]);
    expect(split.yaml).toContain('kind: VirtualService');
    expect(split.yaml).not.toContain('managedFields');
    expect(split.warnings).toEqual([]);
  });

  it('dry-runs 80/20/0 with a YAML diff and findings, changing nothing; then applies it', async () => {
    const read = await getTrafficSplit(context, 'default', 'reviews');
    const dry = await putTrafficSplit(
      context,
      'default',
      'reviews',
      eightyTwenty(read.resourceVersion, true),
    );
    expect(dry.dryRun).toBe(true);
    expect(dry.resourceVersion).toBe(read.resourceVersion);
    expect(dry.changes).toHaveLength(1);
    expect(dry.changes[0]?.before).toContain('weight: 50');
    expect(dry.changes[0]?.after).toContain('weight: 80');
    expect(dry.findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(weightsOf(await routesOf(admin, 'reviews'))).toEqual(['v1=50', 'v3=50']);

    const applied = await putTrafficSplit(context, 'default', 'reviews', eightyTwenty(read.resourceVersion));
    expect(applied.dryRun).toBe(false);
    expect(applied.resourceVersion).not.toBe(read.resourceVersion);
    expect(applied.split?.resourceVersion).toBe(applied.resourceVersion);
    expect(weightsOf(await routesOf(admin, 'reviews'))).toEqual(['v1=80', 'v3=0', 'v2=20']);

    const history = await getTrafficSplitHistory(context, 'default', 'reviews');
    // The history is only for whoever may read the object: a name the cluster does not know is 404.
    await expect(getTrafficSplitHistory(context, 'default', 'no-such-service')).rejects.toMatchObject({
      status: 404,
    });
    expect(history.entries[0]).toMatchObject({
      actor: 'tester',
      result: 'applied',
      resourceVersionBefore: read.resourceVersion,
      resourceVersionAfter: applied.resourceVersion,
    });
    expect(history.entries[0]?.changes).toEqual([
      { path: '/spec/http/0/route/0/weight', before: 50, after: 80 },
      { path: '/spec/http/0/route/1/weight', before: 50, after: 0 },
      {
        path: '/spec/http/0/route/-',
        before: undefined,
        after: { destination: { host: 'reviews', subset: 'v2' }, weight: 20 },
      },
    ]);
    // Dry runs are not history.
    expect(history.entries.every((entry) => (entry.result as string) !== 'dry-run')).toBe(true);
  });

  it('answers a stale resourceVersion with 409 and the split as it is now', async () => {
    const read = await getTrafficSplit(context, 'default', 'reviews');
    const change: TrafficSplitChange = reviewsSplit(read.resourceVersion, { v1: 70, v3: 0, v2: 30 });
    await putTrafficSplit(context, 'default', 'reviews', change);
    const error = await thrown(
      putTrafficSplit(context, 'default', 'reviews', {
        ...change,
        routes: [
          {
            index: 0,
            weights:
              change.routes[0]?.weights.map((w) => ({ ...w, weight: w.subset === 'v3' ? 100 : 0 })) ?? [],
          },
        ],
      }),
    );
    expect(error.code).toBe('conflict:resource-version');
    expect(error.status).toBe(409);
    const current = error.details?.current as TrafficSplit;
    expect(current.resourceVersion).not.toBe(read.resourceVersion);
    expect(current.routes[0]?.destinations.map((d) => d.weight)).toEqual([70, 0, 30]);
    expect(weightsOf(await routesOf(admin, 'reviews'))).toEqual(['v1=70', 'v3=0', 'v2=30']);
  });

  it('refuses weights that do not add up, or send traffic to a subset nobody defines, in words', async () => {
    const read = await getTrafficSplit(context, 'default', 'reviews');
    const error = await thrown(
      putTrafficSplit(
        context,
        'default',
        'reviews',
        reviewsSplit(read.resourceVersion, { v1: 60, v3: 0, v2: 30 }),
      ),
    );
    expect(error.code).toBe('invalid:weights');
    expect(error.status).toBe(400);
    expect(error.details?.problems).toEqual([
      { protocol: 'http', index: 0, message: 'The weights add up to 90; they must add up to 100.' },
    ]);
    const missing = await thrown(
      putTrafficSplit(
        context,
        'default',
        'reviews',
        reviewsSplit(read.resourceVersion, { v1: 60, v3: 0, v2: 30, v9: 10 }),
      ),
    );
    expect(missing.details?.problems).toEqual([
      {
        protocol: 'http',
        index: 0,
        destination: 3,
        message:
          'Subset v9 is not defined by a DestinationRule for reviews: requests sent to reviews v9 would fail with 503 (no healthy upstream).',
      },
    ]);
  });

  it('puts a header rule for x-env: canary in front of the weighted route', async () => {
    const read = await getTrafficSplit(context, 'default', 'reviews');
    await putTrafficSplit(context, 'default', 'reviews', {
      resourceVersion: read.resourceVersion,
      routes: [],
      headerRoutes: [
        { beforeIndex: 0, header: 'x-env', value: 'canary', destination: { host: 'reviews', subset: 'v3' } },
      ],
    });
    const routes = await routesOf(admin, 'reviews');
    expect(routes[0]?.match).toEqual([{ headers: { 'x-env': { exact: 'canary' } } }]);
    expect(weightsOf(routes, 0)).toEqual(['v3=undefined']);
    expect(weightsOf(routes, 1)).toEqual(['v1=70', 'v3=0', 'v2=30']);
    const split = await getTrafficSplit(context, 'default', 'reviews');
    expect(split.routes[0]?.match).toEqual(['header x-env exact canary']);
  });

  it('offers a subset for a new version and adds it to the DestinationRule in the same step', async () => {
    await admin.apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'reviews-v4', labels: { app: 'reviews', version: 'v4' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'reviews', version: 'v4' } },
          template: {
            metadata: { labels: { app: 'reviews', version: 'v4' } },
            spec: {
              containers: [{ name: 'reviews', image: 'reviews:v4', ports: [{ containerPort: 9080 }] }],
            },
          },
        },
      },
    });
    const offered = await eventually(
      async () => {
        const split = await getTrafficSplit(context, 'default', 'reviews');
        return split.subsetOffers.length > 0 ? split : undefined;
      },
      15_000,
      'the v4 offer',
    );
    expect(offered.subsetOffers).toEqual([
      {
        host: 'reviews',
        name: 'v4',
        labels: { version: 'v4' },
        pods: 1,
        destinationRule: { namespace: 'default', name: 'reviews' },
      },
    ]);
    const route = offered.routes[1];
    const change: TrafficSplitChange = {
      resourceVersion: offered.resourceVersion,
      subsets: [{ host: 'reviews', name: 'v4', labels: { version: 'v4' } }],
      routes: [
        {
          index: 1,
          weights: [
            ...(route?.destinations ?? []).map((d) => ({
              host: d.host,
              subset: d.subset,
              weight: d.subset === 'v1' ? 90 : 0,
            })),
            { host: 'reviews', subset: 'v4', weight: 10 },
          ],
        },
      ],
    };
    const dry = await putTrafficSplit(context, 'default', 'reviews', { ...change, dryRun: true });
    expect(dry.changes.map((entry) => [entry.kind, entry.action])).toEqual([
      ['VirtualService', 'patch'],
      ['DestinationRule', 'patch'],
    ]);
    expect(dry.changes[1]?.after).toContain('name: v4');
    await putTrafficSplit(context, 'default', 'reviews', change);
    const rule = await readObject(admin, {
      ...virtualServiceTarget('default', 'reviews'),
      plural: 'destinationrules',
      kind: 'DestinationRule',
    });
    expect((rule.spec as { subsets: { name: string }[] }).subsets.map((subset) => subset.name)).toEqual([
      'v1',
      'v2',
      'v3',
      'v4',
    ]);
    expect(weightsOf(await routesOf(admin, 'reviews'), 1)).toEqual(['v1=90', 'v3=0', 'v2=0', 'v4=10']);
  });

  it('creates the DestinationRule when the host has none', async () => {
    await admin.custom.deleteNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: 'default',
      plural: 'destinationrules',
      name: 'details',
    });
    const split = await eventually(
      async () => {
        const read = await getTrafficSplit(context, 'default', 'details');
        return read.subsetOffers.length > 0 ? read : undefined;
      },
      15_000,
      'the details offer',
    );
    expect(split.subsetOffers).toEqual([{ host: 'details', name: 'v1', labels: { version: 'v1' }, pods: 1 }]);
    expect(split.routes[0]?.destinations[0]?.problem?.severity).toBe('error');
    const result = await putTrafficSplit(context, 'default', 'details', {
      resourceVersion: split.resourceVersion,
      routes: [],
      subsets: [{ host: 'details', name: 'v1', labels: { version: 'v1' } }],
    });
    expect(result.changes.map((entry) => [entry.kind, entry.action, entry.before])).toEqual([
      ['DestinationRule', 'create', ''],
    ]);
    const rule = await readObject(admin, {
      ...virtualServiceTarget('default', 'details'),
      plural: 'destinationrules',
      kind: 'DestinationRule',
    });
    expect(rule.spec).toEqual({ host: 'details', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
  });

  it('shows the viewer read-only with the reason, and the API refuses the viewer', async () => {
    const asViewer: TrafficSplitContext = { ...context, cluster: viewer, actor: 'meshscope-viewer' };
    const split = await getTrafficSplit(asViewer, 'default', 'reviews');
    expect(split.editable).toBe(false);
    expect(split.reason).toBe(
      'Your Kubernetes identity (meshscope-viewer) may not patch VirtualServices in namespace default, so the weights are shown read-only.',
    );
    const error = await thrown(
      putTrafficSplit(asViewer, 'default', 'reviews', {
        resourceVersion: split.resourceVersion,
        routes: [],
        headerRoutes: [
          { beforeIndex: 0, header: 'x-a', value: 'b', destination: { host: 'reviews', subset: 'v1' } },
        ],
      }),
    );
    expect(error.code).toBe('forbidden:kube');
    expect(error.status).toBe(403);
  });

  it('is read-only in read-only mode', async () => {
    const readOnly = { ...context, readOnly: true };
    const split = await getTrafficSplit(readOnly, 'default', 'reviews');
    expect(split).toMatchObject({ editable: false, reason: READ_ONLY_REASON });
    const error = await thrown(
      putTrafficSplit(readOnly, 'default', 'reviews', { resourceVersion: split.resourceVersion, routes: [] }),
    );
    expect(error.code).toBe('forbidden:read-only');
    expect(error.status).toBe(403);
  });

  it('names Flagger as the owner of a VirtualService its Canary owns, and refuses to write it', async () => {
    await admin.custom.createNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: 'default',
      plural: 'virtualservices',
      body: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: {
          name: 'ratings-canary',
          ownerReferences: [
            {
              apiVersion: 'flagger.app/v1beta1',
              kind: 'Canary',
              name: 'ratings',
              uid: '2b7c1e7e-0000-4000-8000-000000000001',
              controller: true,
            },
          ],
        },
        spec: {
          hosts: ['ratings.example.com'],
          http: [
            {
              route: [
                { destination: { host: 'ratings', subset: 'v1' }, weight: 90 },
                { destination: { host: 'ratings', subset: 'v2' }, weight: 10 },
              ],
            },
          ],
        },
      },
    });
    const split = await getTrafficSplit(context, 'default', 'ratings-canary');
    expect(split.editable).toBe(false);
    expect(split.owner?.controller).toBe('Flagger');
    expect(split.reason).toBe(
      'Flagger manages these weights (Canary ratings); change it there, or it will undo edits made here.',
    );
    const error = await thrown(
      putTrafficSplit(context, 'default', 'ratings-canary', {
        resourceVersion: split.resourceVersion,
        routes: [
          {
            index: 0,
            weights: [
              { host: 'ratings', subset: 'v1', weight: 100 },
              { host: 'ratings', subset: 'v2', weight: 0 },
            ],
          },
        ],
      }),
    );
    expect(error.code).toBe('conflict:owner');
    expect(error.status).toBe(409);
  });

  it('lists VirtualServices with a split, and those routing a service', async () => {
    const list = await eventually(
      async () => {
        const answer = await listTrafficSplits(context, { namespace: 'default' });
        return answer.items.some((item) => item.name === 'ratings-canary') ? answer : undefined;
      },
      10_000,
      'ratings-canary in the cache',
    );
    expect(list.items.map((item) => item.name)).toEqual(['ratings-canary', 'reviews']);
    const all = await listTrafficSplits(context, { namespace: 'default', all: true });
    expect(all.items.map((item) => item.name)).toEqual([
      'bookinfo',
      'details',
      'productpage',
      'ratings',
      'ratings-canary',
      'reviews',
    ]);
    const forService = await listTrafficSplits(context, { namespace: 'default', service: 'reviews' });
    expect(forService.items.map((item) => item.name)).toEqual(['reviews']);
  });
});
