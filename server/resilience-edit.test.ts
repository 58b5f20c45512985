import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from './errors';
import type { Cluster } from './kube/cluster';
import { getResiliencePolicy, putCircuitBreaker, putRoutePolicy } from './resilience-edit';
import { READ_ONLY_REASON, type TrafficSplitContext } from './traffic-split';
import { readObject, safePatch } from './writes/safe-write';
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

const reviews = { namespace: 'default', name: 'reviews' };
const target = (kind: 'VirtualService' | 'DestinationRule') => ({
  group: 'networking.istio.io',
  version: 'v1',
  plural: kind === 'VirtualService' ? 'virtualservices' : 'destinationrules',
  kind,
  namespace: 'default',
  name: 'reviews',
});

describe('the resilience editors, against the chaos scenario', () => {
  let fixture: WriteFixture;
  let admin: Cluster;
  let viewer: Cluster;
  let context: TrafficSplitContext;

  beforeAll(async () => {
    fixture = await startWriteFixture('chaos');
    ({ admin, viewer, context } = fixture);
  });
  afterAll(async () => {
    await fixture?.dispose();
  });

  it('reads the routes to reviews and the circuit breakers of its DestinationRule, editable by the admin', async () => {
    const policy = await getResiliencePolicy(context, 'default', 'reviews');
    expect(policy.virtualServices.map((vs) => `${vs.namespace}/${vs.name}:${vs.editable}`)).toEqual([
      'default/reviews:true',
    ]);
    expect(policy.virtualServices[0]?.routes[0]?.explanation).toContain('No fault injection.');
    const rule = policy.destinationRules[0];
    expect(rule?.name).toBe('reviews');
    expect(rule?.sections[0]?.outlierDetection).toMatchObject({
      consecutive5xxErrors: 3,
      maxEjectionPercent: 100,
    });
    expect(rule?.sections[0]?.pods).toBe(4);
    expect(rule?.sections[0]?.guidance.map((entry) => entry.field)).toContain(
      'outlierDetection.maxEjectionPercent',
    );
  });

  it('dry-runs a 50 % abort without writing, then applies exactly that patch', async () => {
    const before = await readObject(admin, target('VirtualService'));
    const change = {
      virtualService: reviews,
      resourceVersion: before.metadata.resourceVersion,
      routes: [{ index: 0, fault: { abort: { httpStatus: 503, percentage: { value: 50 } } } }],
    };
    const dry = await putRoutePolicy(context, reviews, { ...change, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.operations).toEqual([
      {
        op: 'add',
        path: '/spec/http/0/fault',
        value: { abort: { httpStatus: 503, percentage: { value: 50 } } },
      },
    ]);
    expect(dry.after).toContain('httpStatus: 503');
    expect((await readObject(admin, target('VirtualService'))).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );

    const applied = await putRoutePolicy(context, reviews, change);
    expect(applied.dryRun).toBe(false);
    const after = await readObject(admin, target('VirtualService'));
    expect(after.metadata.resourceVersion).toBe(applied.resourceVersion);
    const spec = after.spec as { http: { fault?: unknown; route: unknown }[] };
    expect(spec.http[0]?.fault).toEqual({ abort: { httpStatus: 503, percentage: { value: 50 } } });
    expect(spec.http[0]?.route).toEqual((before.spec as typeof spec).http[0]?.route);

    // Restore.
    await putRoutePolicy(context, reviews, {
      virtualService: reviews,
      resourceVersion: applied.resourceVersion,
      routes: [{ index: 0, fault: null }],
    });
    expect(
      ((await readObject(admin, target('VirtualService'))).spec as typeof spec).http[0]?.fault,
    ).toBeUndefined();
  });

  it('answers 409 with the current object on a stale resourceVersion, and writes nothing', async () => {
    const read = await readObject(admin, target('DestinationRule'));
    // Someone else changes the rule after the editor read it.
    const theirs = await safePatch(admin, {
      target: target('DestinationRule'),
      resourceVersion: read.metadata.resourceVersion,
      operations: [
        { op: 'replace', path: '/spec/trafficPolicy/connectionPool/tcp/maxConnections', value: 99 },
      ],
      actor: 'someone else',
    });
    const error = await thrown(
      putCircuitBreaker(context, reviews, {
        destinationRule: reviews,
        resourceVersion: read.metadata.resourceVersion,
        subset: null,
        connectionPool: {
          tcp: { maxConnections: 100 },
          http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 10 },
        },
      }),
    );
    expect(error.code).toBe('conflict:resource-version');
    expect(error.status).toBe(409);
    expect(error.details?.current).toMatchObject({ metadata: { resourceVersion: theirs.resourceVersion } });
    expect(error.details?.yaml).toContain('maxConnections: 99');
    const now = await readObject(admin, target('DestinationRule'));
    expect(now.metadata.resourceVersion).toBe(theirs.resourceVersion);
    expect(now.spec).toMatchObject({
      trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 100 } } },
    });
    await safePatch(admin, {
      target: target('DestinationRule'),
      resourceVersion: theirs.resourceVersion,
      operations: [
        { op: 'replace', path: '/spec/trafficPolicy/connectionPool/tcp/maxConnections', value: 100 },
      ],
      actor: 'someone else',
    });
  });

  it('lowers http1MaxPendingRequests with a one-leaf patch and says why a queue of 1 is risky', async () => {
    const read = await readObject(admin, target('DestinationRule'));
    const result = await putCircuitBreaker(context, reviews, {
      destinationRule: reviews,
      resourceVersion: read.metadata.resourceVersion,
      subset: null,
      connectionPool: {
        tcp: { maxConnections: 100 },
        http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 10 },
      },
      dryRun: true,
    });
    expect(result.operations).toEqual([
      { op: 'replace', path: '/spec/trafficPolicy/connectionPool/http/http1MaxPendingRequests', value: 1 },
    ]);
    expect(result.guidance.join(' ')).toContain('A queue of 1 refuses bursts with 503 UO');
  });

  it('refuses values out of range with the problems in words (400)', async () => {
    const read = await readObject(admin, target('DestinationRule'));
    const error = await thrown(
      putCircuitBreaker(context, reviews, {
        destinationRule: reviews,
        resourceVersion: read.metadata.resourceVersion,
        subset: null,
        outlierDetection: { maxEjectionPercent: 150 },
      }),
    );
    expect(error.status).toBe(400);
    expect(error.details?.problems).toEqual([
      'Top-level policy: outlierDetection.maxEjectionPercent must be a whole number from 0 to 100.',
    ]);
  });

  it('shows the viewer read-only with the reason, and the API server refuses the viewer (403)', async () => {
    const asViewer: TrafficSplitContext = { ...context, cluster: viewer, actor: 'meshscope-viewer' };
    const policy = await getResiliencePolicy(asViewer, 'default', 'reviews');
    expect(policy.virtualServices[0]?.editable).toBe(false);
    expect(policy.virtualServices[0]?.reason).toBe(
      'Your Kubernetes identity (meshscope-viewer) may not patch VirtualServices in namespace default, so the settings are shown read-only.',
    );
    expect(policy.destinationRules[0]?.editable).toBe(false);
    const read = await readObject(admin, target('VirtualService'));
    const error = await thrown(
      putRoutePolicy(asViewer, reviews, {
        virtualService: reviews,
        resourceVersion: read.metadata.resourceVersion,
        routes: [{ index: 0, timeout: '2s' }],
      }),
    );
    expect(error.code).toBe('forbidden:kube');
    expect(error.status).toBe(403);
    const readOnly = await thrown(
      putRoutePolicy({ ...context, readOnly: true }, reviews, {
        virtualService: reviews,
        resourceVersion: read.metadata.resourceVersion,
        routes: [{ index: 0, timeout: '2s' }],
      }),
    );
    expect(readOnly.message).toBe(READ_ONLY_REASON);
    expect(readOnly.status).toBe(403);
  });
});
