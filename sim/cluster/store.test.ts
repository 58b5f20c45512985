import { describe, expect, it } from 'vitest';
import { ObjectStore } from './store';

const object = (name: string, resourceVersion: number) => ({
  metadata: { name, namespace: 'default', resourceVersion: String(resourceVersion) },
});

describe('ObjectStore', () => {
  it('replays the changes after a resourceVersion and expires history beyond its limit', () => {
    const store = new ObjectStore({ historyLimit: 3, startResourceVersion: 10 });
    for (const name of ['a', 'b', 'c', 'd'])
      store.put('/configmaps', object(name, store.nextResourceVersion()), 'ADDED');
    expect(store.changesSince(12)?.map((change) => change.object.metadata.name)).toEqual(['c', 'd']);
    expect(store.changesSince(14)).toEqual([]);
    expect(store.changesSince(10)).toBeUndefined();
    expect(store.changesSince(11)?.map((change) => change.object.metadata.name)).toEqual(['b', 'c', 'd']);
  });

  it('lists by namespace in name order and records the previous state of a change', () => {
    const store = new ObjectStore();
    store.put('/configmaps', object('b', store.nextResourceVersion()), 'ADDED');
    store.put(
      '/configmaps',
      { metadata: { name: 'a', namespace: 'other', resourceVersion: String(store.nextResourceVersion()) } },
      'ADDED',
    );
    store.put('/configmaps', object('a', store.nextResourceVersion()), 'ADDED');
    expect(store.list('/configmaps', 'default').map((item) => item.metadata.name)).toEqual(['a', 'b']);
    const changes: (string | undefined)[] = [];
    store.subscribe((change) => changes.push(change.previous?.metadata.resourceVersion));
    const rv = store.nextResourceVersion();
    store.put('/configmaps', object('a', rv), 'MODIFIED');
    expect(changes).toEqual([String(rv - 1)]);
  });

  it('compacts history so older resourceVersions answer Gone', () => {
    const store = new ObjectStore();
    store.put('/configmaps', object('a', store.nextResourceVersion()), 'ADDED');
    const before = store.resourceVersion - 1;
    store.compact();
    expect(store.changesSince(before)).toBeUndefined();
    expect(store.changesSince(store.resourceVersion)).toEqual([]);
  });
});

describe('ObjectStore ordering', () => {
  const at = (namespace: string | undefined, name: string) => ({
    metadata: { name, ...(namespace === undefined ? {} : { namespace }), resourceVersion: '1' },
  });
  const names = (objects: { metadata: { namespace?: string; name?: string } }[]) =>
    objects.map((object) => `${object.metadata.namespace ?? ''}:${object.metadata.name}`);

  it('orders by namespace then name in code-unit order, not by the joined `namespace/name`', () => {
    const store = new ObjectStore();
    for (const [namespace, name] of [
      ['team-a', 'b'],
      ['team', 'z'],
      ['team-a', 'a'],
      ['team', 'a-b'],
      ['team', 'a.b'],
      ['team', 'aB'],
      ['team', 'a'],
    ] as const)
      store.put('/configmaps', at(namespace, name), 'ADDED');
    // `-` sorts before `/`, so as joined strings every `team-a/` key would come before `team/`
    expect(names(store.list('/configmaps'))).toEqual([
      'team:a',
      'team:a-b',
      'team:a.b',
      'team:aB',
      'team:z',
      'team-a:a',
      'team-a:b',
    ]);
    expect(names(store.list('/configmaps', 'team-a'))).toEqual(['team-a:a', 'team-a:b']);
    expect(store.list('/configmaps', 'nowhere')).toEqual([]);
  });

  it('keeps order through thousands of scattered inserts and removals, and reads on from a position', () => {
    const store = new ObjectStore();
    const count = 3000;
    const name = (index: number) => `object-${String(index).padStart(5, '0')}`;
    // 1009 is coprime to 3000: every index once, out of order
    for (let step = 0; step < count; step += 1)
      store.put('/configmaps', at('ns', name((step * 1009) % count)), 'ADDED');
    for (let index = 0; index < count; index += 3) store.remove('/configmaps', at('ns', name(index)));
    const expected = Array.from({ length: count }, (_, index) => index)
      .filter((index) => index % 3 !== 0)
      .map((index) => `ns:${name(index)}`);
    expect(names(store.list('/configmaps'))).toEqual(expected);
    expect(store.count('/configmaps')).toBe(expected.length);

    const from = { namespace: 'ns', name: name(1500) };
    const after = names([...store.listAfter('/configmaps', undefined, from)]);
    expect(after).toEqual(expected.filter((key) => key > `ns:${name(1500)}`));
    expect(store.countAfter('/configmaps', undefined, from)).toBe(after.length);
    // a position that is not stored (removed, or in a namespace without objects) still places the page
    expect(names([...store.listAfter('/configmaps', 'ns', { namespace: 'ns', name: name(3) })])[0]).toBe(
      `ns:${name(4)}`,
    );
    expect([...store.listAfter('/configmaps', 'ns', { namespace: 'nt', name: '' })]).toEqual([]);
    expect([...store.listAfter('/configmaps', 'ns', { namespace: 'a', name: 'z' })]).toHaveLength(
      expected.length,
    );
  });

  it('replaces an object in place and forgets an emptied namespace', () => {
    const store = new ObjectStore();
    store.put('/configmaps', at('a', 'x'), 'ADDED');
    store.put('/configmaps', at('b', 'x'), 'ADDED');
    const replacement = { metadata: { name: 'x', namespace: 'a', resourceVersion: '2' } };
    store.put('/configmaps', replacement, 'MODIFIED');
    expect(store.list('/configmaps', 'a')).toEqual([replacement]);
    store.remove('/configmaps', at('a', 'x'));
    expect(names(store.list('/configmaps'))).toEqual(['b:x']);
    expect(store.countAfter('/configmaps', undefined, { namespace: '', name: '' })).toBe(1);
  });

  it('stores cluster-scoped objects under no namespace', () => {
    const store = new ObjectStore();
    store.put('/namespaces', at(undefined, 'b'), 'ADDED');
    store.put('/namespaces', at(undefined, 'a'), 'ADDED');
    expect(store.get('/namespaces', undefined, 'a')?.metadata.name).toBe('a');
    expect(names(store.list('/namespaces'))).toEqual([':a', ':b']);
  });
});

describe('ObjectStore change log', () => {
  it('keeps exactly the last historyLimit changes as it wraps around', () => {
    const store = new ObjectStore({ historyLimit: 4, startResourceVersion: 0 });
    for (let index = 1; index <= 11; index += 1)
      store.put('/configmaps', object(`o${index}`, store.nextResourceVersion()), 'ADDED');
    // changes 8..11 are kept; resuming needs the change after the point, so 7 is the oldest point
    expect(store.oldestResourceVersion).toBe(7);
    expect(store.changesSince(6)).toBeUndefined();
    for (let since = 7; since <= 11; since += 1) {
      expect(store.changesSince(since)?.map((change) => change.resourceVersion)).toEqual(
        Array.from({ length: 11 - since }, (_, index) => since + 1 + index),
      );
    }
  });

  it('keeps no history with a limit of zero', () => {
    const store = new ObjectStore({ historyLimit: 0, startResourceVersion: 0 });
    store.put('/configmaps', object('a', store.nextResourceVersion()), 'ADDED');
    store.put('/configmaps', object('b', store.nextResourceVersion()), 'ADDED');
    expect(store.changesSince(1)).toBeUndefined();
    expect(store.changesSince(2)).toEqual([]);
  });
});

describe('ObjectStore owner index', () => {
  const owned = (name: string, ...uids: string[]) => ({
    metadata: {
      name,
      namespace: 'default',
      resourceVersion: '1',
      ownerReferences: uids.map((uid) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid })),
    },
  });

  it('follows owner references as objects are written and removed', () => {
    const store = new ObjectStore();
    store.put('/configmaps', owned('a', 'u1'), 'ADDED');
    store.put('apps/replicasets', owned('b', 'u1', 'u2'), 'ADDED');
    expect(store.dependentsOf('u1')).toEqual([
      { resource: '/configmaps', namespace: 'default', name: 'a' },
      { resource: 'apps/replicasets', namespace: 'default', name: 'b' },
    ]);
    store.put('/configmaps', owned('a', 'u2'), 'MODIFIED');
    expect(store.dependentsOf('u1').map((reference) => reference.name)).toEqual(['b']);
    expect(store.dependentsOf('u2').map((reference) => reference.name)).toEqual(['b', 'a']);
    store.remove('apps/replicasets', owned('b'));
    expect(store.dependentsOf('u1')).toEqual([]);
    expect(store.dependentsOf('u2').map((reference) => reference.name)).toEqual(['a']);
  });
});
