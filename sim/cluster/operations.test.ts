import { describe, expect, it } from 'vitest';
import { istioCrds } from '../istio/crds';
import { defaultUsers } from './auth';
import { SimulatedCluster } from './cluster';
import { StatusError } from './status-error';
import type { KubeObject } from './types';

function cluster(): SimulatedCluster {
  const simulated = new SimulatedCluster(defaultUsers());
  simulated.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, ...istioCrds()]);
  return simulated;
}

const virtualService = (name: string, weight = 100): KubeObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name },
  spec: { hosts: [name], http: [{ route: [{ destination: { host: name }, weight }] }] },
});

function statusOf(action: () => unknown): StatusError {
  try {
    action();
  } catch (error) {
    if (error instanceof StatusError) return error;
    throw error;
  }
  throw new Error('expected a StatusError');
}

describe('ClusterOperations', () => {
  it('fills server-owned metadata on create and bumps generation only on spec changes', () => {
    const simulated = cluster();
    const type = simulated.type('networking.istio.io', 'virtualservices');
    const created = simulated.operations.create(type, 'default', virtualService('reviews'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const labelled = simulated.operations.patch(type, 'default', 'reviews', 'merge', {
      metadata: { labels: { a: 'b' } },
    }).object;
    expect(labelled.metadata.generation).toBe(1);
    expect(Number(labelled.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    const reweighted = simulated.operations.patch(type, 'default', 'reviews', 'json', [
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 90 },
    ]).object;
    expect(reweighted.metadata.generation).toBe(2);
  });

  it('leaves the resourceVersion alone on a write that changes nothing', () => {
    const simulated = cluster();
    const type = simulated.type('networking.istio.io', 'virtualservices');
    const created = simulated.operations.create(type, 'default', virtualService('reviews'));
    const before = simulated.store.resourceVersion;
    const same = simulated.operations.patch(type, 'default', 'reviews', 'merge', {
      spec: { hosts: ['reviews'] },
    }).object;
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(simulated.store.resourceVersion).toBe(before);
  });

  it('requires and checks resourceVersion on a custom resource update', () => {
    const simulated = cluster();
    const type = simulated.type('networking.istio.io', 'virtualservices');
    const created = simulated.operations.create(type, 'default', virtualService('reviews'));
    expect(
      statusOf(() => simulated.operations.update(type, 'default', 'reviews', virtualService('reviews', 50)))
        .code,
    ).toBe(422);
    const stale = { ...virtualService('reviews', 50), metadata: { name: 'reviews', resourceVersion: '1' } };
    expect(statusOf(() => simulated.operations.update(type, 'default', 'reviews', stale)).reason).toBe(
      'Conflict',
    );
    const fresh = {
      ...virtualService('reviews', 50),
      metadata: { name: 'reviews', resourceVersion: created.metadata.resourceVersion },
    };
    expect(simulated.operations.update(type, 'default', 'reviews', fresh).metadata.generation).toBe(2);
  });

  it('refuses duplicates, missing namespaces and invalid names with Kubernetes reasons', () => {
    const simulated = cluster();
    const type = simulated.type('networking.istio.io', 'virtualservices');
    simulated.operations.create(type, 'default', virtualService('reviews'));
    expect(
      statusOf(() => simulated.operations.create(type, 'default', virtualService('reviews'))).reason,
    ).toBe('AlreadyExists');
    expect(
      statusOf(() => simulated.operations.create(type, 'nowhere', virtualService('reviews'))).message,
    ).toBe('namespaces "nowhere" not found');
    const invalid = statusOf(() => simulated.operations.create(type, 'default', virtualService('Bad_Name')));
    expect(invalid.code).toBe(422);
    expect(invalid.details?.causes?.[0]?.field).toBe('metadata.name');
  });

  it('keeps status out of main-resource writes for kinds with a status subresource', () => {
    const simulated = cluster();
    const type = simulated.type('networking.istio.io', 'virtualservices');
    const created = simulated.operations.create(type, 'default', {
      ...virtualService('reviews'),
      status: { validationMessages: ['x'] },
    });
    expect(created.status).toBeUndefined();
    const withStatus = simulated.operations.update(
      type,
      'default',
      'reviews',
      { ...created, status: { observedGeneration: 1 } },
      { subresource: 'status' },
    );
    expect(withStatus.status).toEqual({ observedGeneration: 1 });
    expect(withStatus.metadata.generation).toBe(1);
  });

  it('deletes a namespace with everything in it, emitting DELETED for each', () => {
    const simulated = cluster();
    const type = simulated.type('networking.istio.io', 'virtualservices');
    simulated.operations.create(type, 'default', virtualService('a'));
    simulated.operations.create(type, 'default', virtualService('b'));
    const deleted: string[] = [];
    simulated.store.subscribe((change) => {
      if (change.type === 'DELETED') deleted.push(change.object.metadata.name ?? '');
    });
    simulated.operations.delete(simulated.type('', 'namespaces'), undefined, 'default');
    expect(deleted.sort()).toEqual(['a', 'b', 'default']);
    expect(simulated.store.list('networking.istio.io/virtualservices')).toHaveLength(0);
  });

  it('registers a kind when its CRD is applied and drops it when the CRD is deleted', () => {
    const simulated = new SimulatedCluster(defaultUsers());
    const crdType = simulated.type('apiextensions.k8s.io', 'customresourcedefinitions');
    const crd = istioCrds().find(
      (candidate) => candidate.metadata.name === 'virtualservices.networking.istio.io',
    );
    if (!crd) throw new Error('no VirtualService CRD');
    simulated.operations.create(crdType, undefined, crd);
    expect(simulated.registry.resolve('networking.istio.io', 'v1alpha3', 'virtualservices')?.type.kind).toBe(
      'VirtualService',
    );
    expect(
      simulated.registry
        .get('networking.istio.io', 'virtualservices')
        ?.versions.map((version) => version.name),
    ).toEqual(['v1', 'v1beta1', 'v1alpha3']);
    simulated.operations.delete(crdType, undefined, 'virtualservices.networking.istio.io');
    expect(simulated.registry.get('networking.istio.io', 'virtualservices')).toBeUndefined();
  });

  it('collects objects owned by a deleted owner', () => {
    const simulated = cluster();
    const configMaps = simulated.type('', 'configmaps');
    const owner = simulated.operations.create(configMaps, 'default', { metadata: { name: 'owner' } });
    simulated.operations.create(configMaps, 'default', {
      metadata: {
        name: 'owned',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid ?? '' },
        ],
      },
    });
    simulated.operations.delete(configMaps, 'default', 'owner');
    expect(simulated.store.get('/configmaps', 'default', 'owned')).toBeUndefined();
  });

  it('collects dependents of dependents, across kinds, and spares an object whose owner was dropped', () => {
    const simulated = cluster();
    const configMaps = simulated.type('', 'configmaps');
    const virtualServices = simulated.type('networking.istio.io', 'virtualservices');
    const ownedBy = (object: KubeObject) => [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: object.metadata.name ?? '',
        uid: object.metadata.uid ?? '',
      },
    ];
    const root = simulated.operations.create(configMaps, 'default', { metadata: { name: 'root' } });
    const child = simulated.operations.create(virtualServices, 'default', {
      ...virtualService('child'),
      metadata: { name: 'child', ownerReferences: ownedBy(root) },
    });
    simulated.operations.create(configMaps, 'default', {
      metadata: { name: 'grandchild', ownerReferences: ownedBy(child) },
    });
    const released = simulated.operations.create(configMaps, 'default', {
      metadata: { name: 'released', ownerReferences: ownedBy(root) },
    });
    simulated.operations.update(configMaps, 'default', 'released', {
      ...released,
      metadata: { ...released.metadata, ownerReferences: [] },
    });
    const deleted: string[] = [];
    simulated.store.subscribe((change) => {
      if (change.type === 'DELETED') deleted.push(change.object.metadata.name ?? '');
    });
    simulated.operations.delete(configMaps, 'default', 'root');
    expect(deleted).toEqual(['root', 'child', 'grandchild']);
    expect(simulated.store.list('/configmaps', 'default').map((object) => object.metadata.name)).toEqual([
      'released',
    ]);
  });

  it('deletes a namespace of thousands of owned objects with one DELETED each', () => {
    const simulated = cluster();
    const configMaps = simulated.type('', 'configmaps');
    const owners = Array.from({ length: 100 }, (_, index) =>
      simulated.operations.create(configMaps, 'default', { metadata: { name: `owner-${index}` } }),
    );
    for (let index = 0; index < 2000; index += 1) {
      const owner = owners[index % owners.length];
      simulated.operations.create(configMaps, 'default', {
        metadata: {
          name: `owned-${index}`,
          ownerReferences: [
            { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner?.metadata.uid ?? '' },
          ],
        },
      });
    }
    const deleted = new Map<string, number>();
    simulated.store.subscribe((change) => {
      if (change.type !== 'DELETED') return;
      const name = change.object.metadata.name ?? '';
      deleted.set(name, (deleted.get(name) ?? 0) + 1);
    });
    simulated.operations.delete(simulated.type('', 'namespaces'), undefined, 'default');
    expect(deleted.size).toBe(2101);
    expect([...deleted.values()].every((times) => times === 1)).toBe(true);
    expect(simulated.store.count('/configmaps')).toBe(0);
  });
});
