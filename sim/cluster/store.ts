/**
 * The simulated cluster's storage: every object of every kind, one global resourceVersion counter
 * and a bounded log of changes that watches resume from (as etcd's watch cache does).
 *
 * Each kind keeps its objects ordered by (namespace, name), the order lists and their pages are
 * served in, and indexed by namespace, so a namespaced list reads only that namespace's objects.
 */
import type { KubeObject } from './types';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredChange {
  type: WatchEventType;
  /** `group/plural`, see resourceKey() */
  resource: string;
  /** the object after the change (for DELETED: its last state carrying the deletion's resourceVersion) */
  object: KubeObject;
  /** the object before the change, for selector transitions */
  previous: KubeObject | undefined;
  resourceVersion: number;
}

export type ChangeListener = (change: StoredChange) => void;

/** Where an object sits in a list: lists are ordered by namespace, then name ('' when cluster-scoped). */
export interface ListPosition {
  namespace: string;
  name: string;
}

/** A stored object named by its kind, for the owner index. */
export interface ObjectReference {
  /** `group/plural`, see resourceKey() */
  resource: string;
  namespace: string | undefined;
  name: string;
}

function nameOf(object: KubeObject): string {
  return object.metadata.name ?? '';
}

/** Where the object sits in its kind's list. */
export function listPosition(object: KubeObject): ListPosition {
  return { namespace: object.metadata.namespace ?? '', name: nameOf(object) };
}

/** Index of the first string in `sorted` that is >= `value` (plain code-unit order). */
function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] ?? '') < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the first object in `block` whose name is >= `name` (or > `name` when `after`). */
function nameBound(block: readonly KubeObject[], name: string, after: boolean): number {
  let low = 0;
  let high = block.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const candidate = block[middle];
    const before = candidate !== undefined && (after ? nameOf(candidate) <= name : nameOf(candidate) < name);
    if (before) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Blocks grow to this many objects before they split. An insert or removal moves at most a block's
 * entries: splicing one flat array of 50,000 long-lived objects costs 10-20 µs per removal, so
 * deleting such a namespace would spend most of its time moving pointers.
 */
const maxBlockSize = 512;

/** One namespace's objects of one kind: by name, and in name order as a list of sorted blocks. */
class NamespaceObjects {
  private readonly byName = new Map<string, KubeObject>();
  /** non-empty, each sorted by name, every name in a block below every name in the next */
  private readonly blocks: KubeObject[][] = [];

  get size(): number {
    return this.byName.size;
  }

  get(name: string): KubeObject | undefined {
    return this.byName.get(name);
  }

  /** Insert the object, or replace the one of the same name; returns the replaced one. */
  set(object: KubeObject): KubeObject | undefined {
    const name = nameOf(object);
    const previous = this.byName.get(name);
    this.byName.set(name, object);
    const blockIndex = this.blockFor(name);
    const block = this.blocks[blockIndex];
    if (!block) {
      this.blocks.push([object]);
      return previous;
    }
    const index = nameBound(block, name, false);
    if (previous) {
      block[index] = object;
      return previous;
    }
    block.splice(index, 0, object);
    if (block.length > maxBlockSize) this.blocks.splice(blockIndex + 1, 0, block.splice(block.length >> 1));
    return previous;
  }

  /** Remove the object of that name; returns it, or undefined when there was none. */
  delete(name: string): KubeObject | undefined {
    const previous = this.byName.get(name);
    if (!previous) return undefined;
    this.byName.delete(name);
    const blockIndex = this.blockFor(name);
    const block = this.blocks[blockIndex];
    if (block) {
      block.splice(nameBound(block, name, false), 1);
      if (block.length === 0) this.blocks.splice(blockIndex, 1);
    }
    return previous;
  }

  /** Append every object, in name order, to `into`. */
  appendTo(into: KubeObject[]): void {
    for (const block of this.blocks) into.push(...block);
  }

  /** The objects named after `name` (all of them when undefined), in name order. */
  *after(name: string | undefined): Generator<KubeObject> {
    let blockIndex = name === undefined ? 0 : this.blockFor(name);
    let index = 0;
    const first = this.blocks[blockIndex];
    if (name !== undefined && first) index = nameBound(first, name, true);
    for (; blockIndex < this.blocks.length; blockIndex += 1) {
      const block = this.blocks[blockIndex] ?? [];
      for (; index < block.length; index += 1) yield block[index] as KubeObject;
      index = 0;
    }
  }

  /** How many objects are named after `name`. */
  countAfter(name: string): number {
    const blockIndex = this.blockFor(name);
    const block = this.blocks[blockIndex];
    if (!block) return 0;
    let count = block.length - nameBound(block, name, true);
    for (let later = blockIndex + 1; later < this.blocks.length; later += 1)
      count += this.blocks[later]?.length ?? 0;
    return count;
  }

  /** The block that holds `name` or would take it: the first whose last name is >= name, else the last. */
  private blockFor(name: string): number {
    let low = 0;
    let high = Math.max(0, this.blocks.length - 1);
    while (low < high) {
      const middle = (low + high) >> 1;
      const block = this.blocks[middle] ?? [];
      const last = block[block.length - 1];
      if (last && nameOf(last) < name) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Every object of one kind, by namespace. */
class Collection {
  readonly byNamespace = new Map<string, NamespaceObjects>();
  /** the keys of byNamespace, sorted */
  readonly namespaces: string[] = [];
  size = 0;

  set(namespace: string, object: KubeObject): KubeObject | undefined {
    let objects = this.byNamespace.get(namespace);
    if (!objects) {
      objects = new NamespaceObjects();
      this.byNamespace.set(namespace, objects);
      this.namespaces.splice(lowerBound(this.namespaces, namespace), 0, namespace);
    }
    const previous = objects.set(object);
    if (!previous) this.size += 1;
    return previous;
  }

  delete(namespace: string, name: string): KubeObject | undefined {
    const objects = this.byNamespace.get(namespace);
    const previous = objects?.delete(name);
    if (!objects || !previous) return undefined;
    this.size -= 1;
    if (objects.size === 0) {
      this.byNamespace.delete(namespace);
      this.namespaces.splice(lowerBound(this.namespaces, namespace), 1);
    }
    return previous;
  }

  /** The namespaces a list reads, in order: one, or all of them. */
  scope(namespace: string | undefined): readonly string[] {
    return namespace === undefined ? this.namespaces : [namespace];
  }
}

/**
 * The change log: a ring buffer of the last `limit` changes in resourceVersion order, so that
 * recording a change is O(1) however long the history.
 */
class ChangeLog {
  private readonly entries: StoredChange[] = [];
  /** index in `entries` of the oldest change once the buffer is full */
  private head = 0;

  constructor(private readonly limit: number) {}

  get length(): number {
    return this.entries.length;
  }

  /** Append a change; returns the one it pushed out, if the log was full. */
  push(change: StoredChange): StoredChange | undefined {
    if (this.limit <= 0) return change;
    if (this.entries.length < this.limit) {
      this.entries.push(change);
      return undefined;
    }
    const dropped = this.entries[this.head];
    this.entries[this.head] = change;
    this.head = (this.head + 1) % this.limit;
    return dropped;
  }

  /** The changes with a resourceVersion above `resourceVersion`, oldest first. */
  after(resourceVersion: number): StoredChange[] {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const change = this.at(middle);
      if (change && change.resourceVersion <= resourceVersion) low = middle + 1;
      else high = middle;
    }
    const start = this.head + low;
    if (start >= this.entries.length) return this.entries.slice(start - this.entries.length, this.head);
    return this.head === 0
      ? this.entries.slice(start)
      : [...this.entries.slice(start), ...this.entries.slice(0, this.head)];
  }

  clear(): void {
    this.entries.length = 0;
    this.head = 0;
  }

  /** The `index`-th oldest change. */
  private at(index: number): StoredChange | undefined {
    return this.entries[(this.head + index) % this.entries.length];
  }
}

function referenceKey(reference: ObjectReference): string {
  return `${reference.resource} ${reference.namespace ?? ''}/${reference.name}`;
}

function ownerUids(object: KubeObject | undefined): string[] {
  const owners = object?.metadata.ownerReferences;
  if (!Array.isArray(owners)) return [];
  return owners.flatMap((owner) => (typeof owner?.uid === 'string' ? [owner.uid] : []));
}

export class ObjectStore {
  private readonly collections = new Map<string, Collection>();
  private readonly changes: ChangeLog;
  /** owner uid → the objects whose ownerReferences name it (keyed by referenceKey), for garbage collection */
  private readonly dependents = new Map<string, Map<string, ObjectReference>>();
  private readonly listeners = new Set<ChangeListener>();
  private counter: number;
  /** how many changes are kept for watch resumption; older resourceVersions answer 410 Gone */
  readonly historyLimit: number;
  /** the oldest resourceVersion a watch may still resume from */
  private oldestResumable: number;

  constructor(options: { historyLimit?: number; startResourceVersion?: number } = {}) {
    this.historyLimit = options.historyLimit ?? 20_000;
    this.changes = new ChangeLog(this.historyLimit);
    this.counter = options.startResourceVersion ?? 1000;
    this.oldestResumable = this.counter;
  }

  get resourceVersion(): number {
    return this.counter;
  }

  /** Reserve the next resourceVersion (a write that will be committed with commit()). */
  nextResourceVersion(): number {
    this.counter += 1;
    return this.counter;
  }

  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.collections
      .get(resource)
      ?.byNamespace.get(namespace ?? '')
      ?.get(name);
  }

  /** The kind's objects (in one namespace, or all), ordered by namespace then name. A fresh array. */
  list(resource: string, namespace?: string): KubeObject[] {
    const collection = this.collections.get(resource);
    const items: KubeObject[] = [];
    if (!collection) return items;
    for (const inNamespace of collection.scope(namespace))
      collection.byNamespace.get(inNamespace)?.appendTo(items);
    return items;
  }

  /**
   * The objects list() returns, from just after `after` (from the start when undefined), read
   * lazily so that a page costs what it reads. Do not write to the store while iterating.
   */
  *listAfter(resource: string, namespace: string | undefined, after?: ListPosition): Generator<KubeObject> {
    const collection = this.collections.get(resource);
    if (!collection) return;
    const namespaces = collection.scope(namespace);
    const first = after === undefined ? 0 : lowerBound(namespaces, after.namespace);
    for (let index = first; index < namespaces.length; index += 1) {
      const inNamespace = namespaces[index] ?? '';
      const startAfter = after !== undefined && inNamespace === after.namespace ? after.name : undefined;
      const objects = collection.byNamespace.get(inNamespace);
      if (objects) yield* objects.after(startAfter);
    }
  }

  /** How many objects listAfter() would yield. */
  countAfter(resource: string, namespace: string | undefined, after: ListPosition): number {
    const collection = this.collections.get(resource);
    if (!collection) return 0;
    const namespaces = collection.scope(namespace);
    let count = 0;
    for (let index = lowerBound(namespaces, after.namespace); index < namespaces.length; index += 1) {
      const inNamespace = namespaces[index] ?? '';
      const objects = collection.byNamespace.get(inNamespace);
      if (!objects) continue;
      count += inNamespace === after.namespace ? objects.countAfter(after.name) : objects.size;
    }
    return count;
  }

  count(resource: string): number {
    return this.collections.get(resource)?.size ?? 0;
  }

  resources(): string[] {
    return [...this.collections.keys()];
  }

  /** The stored objects whose ownerReferences name `ownerUid`. */
  dependentsOf(ownerUid: string): ObjectReference[] {
    return [...(this.dependents.get(ownerUid)?.values() ?? [])];
  }

  /** Store the object (its metadata.resourceVersion already set by the caller) and record the change. */
  put(resource: string, object: KubeObject, type: 'ADDED' | 'MODIFIED'): void {
    let collection = this.collections.get(resource);
    if (!collection) {
      collection = new Collection();
      this.collections.set(resource, collection);
    }
    const previous = collection.set(object.metadata.namespace ?? '', object);
    this.indexOwners(resource, previous, object);
    this.record({
      type,
      resource,
      object,
      previous,
      resourceVersion: Number(object.metadata.resourceVersion),
    });
  }

  /** Remove the object; `lastState` carries the deletion's resourceVersion. */
  remove(resource: string, lastState: KubeObject): void {
    const previous = this.collections
      .get(resource)
      ?.delete(lastState.metadata.namespace ?? '', nameOf(lastState));
    if (!previous) return;
    this.indexOwners(resource, previous, undefined);
    this.record({
      type: 'DELETED',
      resource,
      object: lastState,
      previous,
      resourceVersion: Number(lastState.metadata.resourceVersion),
    });
  }

  /** Drop a whole kind (its CRD was deleted). Emits DELETED for each object. */
  dropResource(resource: string): void {
    for (const object of this.list(resource)) {
      const rv = String(this.nextResourceVersion());
      this.remove(resource, { ...object, metadata: { ...object.metadata, resourceVersion: rv } });
    }
    this.collections.delete(resource);
  }

  /**
   * Changes after `resourceVersion`, or undefined when that point is older than the retained history
   * (the caller answers 410 Gone so the client relists).
   */
  changesSince(resourceVersion: number): StoredChange[] | undefined {
    if (resourceVersion < this.oldestResumable) return undefined;
    if (resourceVersion >= this.counter) return [];
    return this.changes.after(resourceVersion);
  }

  /** Forget history up to now, so older resourceVersions expire (a fault for tests: forces 410s). */
  compact(): void {
    this.changes.clear();
    this.oldestResumable = this.counter;
  }

  get oldestResourceVersion(): number {
    return this.oldestResumable;
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(change: StoredChange): void {
    const dropped = this.changes.push(change);
    if (dropped) this.oldestResumable = dropped.resourceVersion;
    for (const listener of this.listeners) listener(change);
  }

  /** Move the object from its previous owners' dependents to its current owners'. */
  private indexOwners(
    resource: string,
    previous: KubeObject | undefined,
    next: KubeObject | undefined,
  ): void {
    const before = ownerUids(previous);
    const after = ownerUids(next);
    if (before.length === 0 && after.length === 0) return;
    const object = next ?? previous;
    if (!object) return;
    const reference: ObjectReference = {
      resource,
      namespace: object.metadata.namespace,
      name: nameOf(object),
    };
    const key = referenceKey(reference);
    for (const uid of before) {
      if (after.includes(uid)) continue;
      const owned = this.dependents.get(uid);
      owned?.delete(key);
      if (owned?.size === 0) this.dependents.delete(uid);
    }
    for (const uid of after) {
      let owned = this.dependents.get(uid);
      if (!owned) {
        owned = new Map();
        this.dependents.set(uid, owned);
      }
      owned.set(key, reference);
    }
  }
}
