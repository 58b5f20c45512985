import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { AppError } from '../errors';
import { type Cluster, clusterFromKubeConfig, loadKubeConfig } from '../kube/cluster';
import { auditHistory } from './audit';
import { type ObjectTarget, readObject, safePatch } from './safe-write';

const reviews: ObjectTarget = {
  group: 'networking.istio.io',
  version: 'v1',
  plural: 'virtualservices',
  kind: 'VirtualService',
  namespace: 'default',
  name: 'reviews',
};

const weights = (first: number, second: number) => [
  { op: 'replace' as const, path: '/spec/http/0/route/0/weight', value: first },
  { op: 'replace' as const, path: '/spec/http/0/route/1/weight', value: second },
];

function routeWeights(object: Record<string, unknown>): number[] {
  const spec = object.spec as { http: { route: { weight: number }[] }[] };
  return spec.http[0]?.route.map((entry) => entry.weight) ?? [];
}

async function thrown(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('safePatch against the simulator', () => {
  let simulator: TestSimulator;
  let admin: Cluster;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true });
    admin = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
  });
  afterAll(async () => simulator.dispose());

  it('dry-runs without changing anything, then applies only the given paths', async () => {
    const read = await readObject(admin, reviews);
    const dry = await safePatch(admin, {
      target: reviews,
      resourceVersion: read.metadata.resourceVersion,
      operations: weights(80, 20),
      actor: 'tester',
      dryRun: true,
    });
    expect(routeWeights(dry.object)).toEqual([80, 20]);
    expect(routeWeights(await readObject(admin, reviews))).toEqual([50, 50]);
    const applied = await safePatch(admin, {
      target: reviews,
      resourceVersion: read.metadata.resourceVersion,
      operations: weights(80, 20),
      actor: 'tester',
    });
    expect(routeWeights(applied.object)).toEqual([80, 20]);
    expect(applied.resourceVersion).not.toBe(read.metadata.resourceVersion);
    const history = auditHistory({
      group: reviews.group,
      kind: reviews.kind,
      namespace: 'default',
      name: 'reviews',
    });
    expect(history[0]).toMatchObject({
      result: 'applied',
      actor: 'tester',
      resourceVersionBefore: read.metadata.resourceVersion,
    });
    expect(history[0]?.changes).toEqual([
      { path: '/spec/http/0/route/0/weight', before: 50, after: 80 },
      { path: '/spec/http/0/route/1/weight', before: 50, after: 20 },
    ]);
  });

  it('answers a stale resourceVersion with a conflict carrying the current object, and keeps the other edit', async () => {
    const read = await readObject(admin, reviews);
    await safePatch(admin, {
      target: reviews,
      resourceVersion: read.metadata.resourceVersion,
      operations: [{ op: 'add', path: '/metadata/labels', value: { team: 'a' } }],
      actor: 'other',
    });
    const error = await thrown(
      safePatch(admin, {
        target: reviews,
        resourceVersion: read.metadata.resourceVersion,
        operations: weights(10, 90),
        actor: 'tester',
      }),
    );
    expect(error.code).toBe('conflict:resource-version');
    expect(error.status).toBe(409);
    const current = error.details?.current as { metadata: { labels: Record<string, string> } };
    expect(current.metadata.labels).toEqual({ team: 'a' });
    expect(routeWeights(await readObject(admin, reviews))).toEqual([80, 20]);
  });

  it("refuses the viewer's write as forbidden, in words", async () => {
    const viewer = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.viewer, undefined));
    const read = await readObject(viewer, reviews);
    const error = await thrown(
      safePatch(viewer, {
        target: reviews,
        resourceVersion: read.metadata.resourceVersion,
        operations: weights(0, 100),
        actor: 'meshscope-viewer',
      }),
    );
    expect(error.code).toBe('forbidden:kube');
    expect(error.message).toMatch(/^You may not change VirtualService default\/reviews/);
  });

  it('reports a change the schema refuses as invalid, not as a conflict', async () => {
    const read = await readObject(admin, reviews);
    const error = await thrown(
      safePatch(admin, {
        target: reviews,
        resourceVersion: read.metadata.resourceVersion,
        operations: [{ op: 'replace', path: '/spec/http/0/route/0/weight', value: 'eighty' }],
        actor: 'tester',
      }),
    );
    expect(error.code).toBe('invalid:kube');
  });
});
