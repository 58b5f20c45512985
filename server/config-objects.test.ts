/**
 * The config views' server side against the simulator: list counts, one object with references and
 * access, and saving an edit through the safe-write path (dry run, apply, conflict, refusals).
 */
import { CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editableView } from '@/lib/istio-config/editable';
import { eventually, startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { ResourceCaches } from './cache/resource-caches';
import {
  type ConfigContext,
  getConfigObject,
  getConfigSchema,
  listConfig,
  putConfigObject,
} from './config-objects';
import { AppError } from './errors';
import { clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { ValidationService } from './validations';

const vs = { group: 'networking.istio.io', version: 'v1', namespace: 'default', plural: 'virtualservices' };

const broken = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'ratings-broken', namespace: 'default', labels: { team: 'books' } },
  spec: {
    hosts: ['ratings.example.internal'],
    http: [{ route: [{ destination: { host: 'ratings', subset: 'v9' } }] }],
  },
};

function contextFor(kubeconfig: string, options: { readOnly?: boolean } = {}): ConfigContext {
  const cluster = clusterFromKubeConfig(loadKubeConfig(kubeconfig, undefined));
  return {
    cluster,
    actor: cluster.user,
    readOnly: options.readOnly ?? false,
    validation: new ValidationService(new ResourceCaches(cluster)),
  };
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('the config views on bookinfo', () => {
  let simulator: TestSimulator;
  let admin: ConfigContext;
  let custom: CustomObjectsApi;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
    admin = contextFor(simulator.kubeconfigs.admin);
    custom = loadKubeConfig(simulator.kubeconfigs.admin, undefined).makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...vs, body: broken });
  });
  afterAll(async () => {
    await admin?.validation.caches.stop();
    await simulator?.dispose();
  });

  it('lists objects with their finding counts, and every kind the cluster serves', async () => {
    const list = await eventually(async () => {
      const response = await listConfig(
        { namespaces: ['default'], kind: 'VirtualService' },
        admin.validation,
      );
      return response.items.some((item) => item.name === 'ratings-broken') ? response : undefined;
    });
    expect(list.items.every((item) => item.kind === 'VirtualService' && item.namespace === 'default')).toBe(
      true,
    );
    expect(list.items.find((item) => item.name === 'ratings-broken')?.findings.error).toBeGreaterThanOrEqual(
      1,
    );
    expect(list.kinds.find((kind) => kind.kind === 'DestinationRule')).toEqual({
      kind: 'DestinationRule',
      installed: true,
    });
  });

  it('gives one object without managedFields, with its findings, references and access', async () => {
    const response = await getConfigObject(admin, 'VirtualService', 'default', 'ratings-broken');
    expect((response.object.metadata as Record<string, unknown>).managedFields).toBeUndefined();
    expect(response.access).toEqual({ editable: true });
    expect(response.findings.map((finding) => finding.path)).toContain(
      'spec.http[0].route[0].destination.subset',
    );
    expect(response.references).toContainEqual(
      expect.objectContaining({ kind: 'DestinationRule', name: 'ratings', via: 'subset', resolved: false }),
    );
    const rule = await getConfigObject(admin, 'DestinationRule', 'default', 'ratings');
    expect(rule.referencedBy.map((reference) => reference.name)).toContain('ratings');
  });

  it('dry-runs, then applies only the changed field, and the finding goes', async () => {
    const read = await getConfigObject(admin, 'VirtualService', 'default', 'ratings-broken');
    const edited = editableView(read.object);
    edited.spec = { ...broken.spec, http: [{ route: [{ destination: { host: 'ratings', subset: 'v1' } }] }] };
    const dryRun = await putConfigObject(admin, 'VirtualService', 'default', 'ratings-broken', {
      resourceVersion: read.resourceVersion,
      object: edited,
      dryRun: true,
    });
    expect(dryRun.operations).toEqual([
      { op: 'replace', path: '/spec/http/0/route/0/destination/subset', value: 'v1' },
    ]);
    expect(dryRun.findings.filter((finding) => finding.code === 'vs.destination.subset-not-found')).toEqual(
      [],
    );
    const unchanged = await getConfigObject(admin, 'VirtualService', 'default', 'ratings-broken');
    expect(unchanged.resourceVersion).toBe(read.resourceVersion);

    const applied = await putConfigObject(admin, 'VirtualService', 'default', 'ratings-broken', {
      resourceVersion: read.resourceVersion,
      object: edited,
    });
    expect(applied.dryRun).toBe(false);
    expect(applied.resourceVersion).not.toBe(read.resourceVersion);
    await eventually(async () => {
      const after = await getConfigObject(admin, 'VirtualService', 'default', 'ratings-broken');
      return after.findings.some((finding) => finding.code === 'vs.destination.subset-not-found')
        ? undefined
        : true;
    });

    // The old resourceVersion is now a conflict that carries the current object.
    const conflict = await failure(
      putConfigObject(admin, 'VirtualService', 'default', 'ratings-broken', {
        resourceVersion: read.resourceVersion,
        object: edited,
      }),
    );
    expect(conflict.code).toBe('conflict:resource-version');
    const current = conflict.details?.current as { metadata: Record<string, unknown> };
    expect(current.metadata.resourceVersion).toBe(applied.resourceVersion);
    expect(current.metadata.managedFields).toBeUndefined();
  });

  it('refuses renames, empty saves and a read-only dashboard', async () => {
    const read = await getConfigObject(admin, 'VirtualService', 'default', 'ratings-broken');
    const renamed = editableView(read.object);
    (renamed.metadata as Record<string, unknown>).name = 'other';
    const invalid = await failure(
      putConfigObject(admin, 'VirtualService', 'default', 'ratings-broken', {
        resourceVersion: read.resourceVersion,
        object: renamed,
      }),
    );
    expect(invalid.code).toBe('invalid');
    const unchanged = await failure(
      putConfigObject(admin, 'VirtualService', 'default', 'ratings-broken', {
        resourceVersion: read.resourceVersion,
        object: editableView(read.object),
      }),
    );
    expect(unchanged.code).toBe('invalid:unchanged');
    const readOnly = { ...admin, readOnly: true };
    expect(
      (await getConfigObject(readOnly, 'VirtualService', 'default', 'ratings-broken')).access,
    ).toMatchObject({
      editable: false,
      reason: expect.stringMatching(/read-only/),
    });
    expect(
      (
        await failure(
          putConfigObject(readOnly, 'VirtualService', 'default', 'ratings-broken', {
            resourceVersion: read.resourceVersion,
            object: renamed,
          }),
        )
      ).code,
    ).toBe('forbidden:read-only');
  });

  it('serves the CRD schema the editor completes from', async () => {
    const schema = await getConfigSchema('VirtualService', undefined, admin.validation);
    expect(schema.apiVersion).toBe('networking.istio.io/v1');
    expect(Object.keys((schema.schema.properties ?? {}) as object)).toContain('spec');
  });
});

describe('the config views as the read-only viewer', () => {
  let simulator: TestSimulator;
  let viewer: ConfigContext;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo' });
    viewer = contextFor(simulator.kubeconfigs.viewer);
  });
  afterAll(async () => {
    await viewer?.validation.caches.stop();
    await simulator?.dispose();
  });

  it('shows objects read-only with the reason the access review gives', async () => {
    const response = await getConfigObject(viewer, 'VirtualService', 'default', 'reviews');
    expect(response.access).toEqual({
      editable: false,
      reason: expect.stringMatching(
        /^Your Kubernetes identity \(meshscope-viewer\) may not patch VirtualServices/,
      ),
    });
  });
});
