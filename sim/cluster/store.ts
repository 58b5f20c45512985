/**
 * The simulated cluster's storage: every object of every kind, one global resourceVersion counter
 * and a bounded log of changes that watches resume from (as etcd's watch cache does).
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

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export class ObjectStore {
  private readonly collections = new Map<string, Map<string, KubeObject>>();
  private readonly changes: StoredChange[] = [];
  private readonly listeners = new Set<ChangeListener>();
  private counter: number;
  /** how many changes are kept for watch resumption; older resourceVersions answer 410 Gone */
  readonly historyLimit: number;
  /** the oldest resourceVersion a watch may still resume from */
  private oldestResumable: number;

  constructor(options: { historyLimit?: number; startResourceVersion?: number } = {}) {
    this.historyLimit = options.historyLimit ?? 20_000;
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
    return this.collections.get(resource)?.get(objectKey(namespace, name));
  }

  list(resource: string, namespace?: string): KubeObject[] {
    const collection = this.collections.get(resource);
    if (!collection) return [];
    const items = [...collection.values()];
    const scoped =
      namespace === undefined ? items : items.filter((item) => item.metadata.namespace === namespace);
    return scoped.sort(compareObjects);
  }

  count(resource: string): number {
    return this.collections.get(resource)?.size ?? 0;
  }

  resources(): string[] {
    return [...this.collections.keys()];
  }

  /** Store the object (its metadata.resourceVersion already set by the caller) and record the change. */
  put(resource: string, object: KubeObject, type: 'ADDED' | 'MODIFIED'): void {
    const name = object.metadata.name ?? '';
    let collection = this.collections.get(resource);
    if (!collection) {
      collection = new Map();
      this.collections.set(resource, collection);
    }
    const key = objectKey(object.metadata.namespace, name);
    const previous = collection.get(key);
    collection.set(key, object);
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
    const collection = this.collections.get(resource);
    const key = objectKey(lastState.metadata.namespace, lastState.metadata.name ?? '');
    const previous = collection?.get(key);
    if (!collection || !previous) return;
    collection.delete(key);
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
    let low = 0;
    let high = this.changes.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const change = this.changes[middle];
      if (change && change.resourceVersion <= resourceVersion) low = middle + 1;
      else high = middle;
    }
    return this.changes.slice(low);
  }

  /** Forget history up to now, so older resourceVersions expire (a fault for tests: forces 410s). */
  compact(): void {
    this.changes.length = 0;
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
    this.changes.push(change);
    if (this.changes.length > this.historyLimit) {
      const dropped = this.changes.splice(0, this.changes.length - this.historyLimit);
      const last = dropped[dropped.length - 1];
      if (last) this.oldestResumable = last.resourceVersion;
    }
    for (const listener of this.listeners) listener(change);
  }
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const byNamespace = (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '');
  if (byNamespace !== 0) return byNamespace;
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
