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
