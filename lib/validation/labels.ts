/**
 * Label selectors as Istio uses them (plain `matchLabels`: every key present with the same value),
 * and an index that answers "which items in this namespace carry these labels" without scanning.
 */

type Labels = Readonly<Record<string, string>>;

export function selectorMatches(selector: Labels, labels: Labels): boolean {
  for (const key in selector) {
    if (labels[key] !== selector[key]) return false;
  }
  return true;
}

export function isEmptySelector(selector: Labels): boolean {
  for (const _ in selector) return false;
  return true;
}

/** `a=1,b=2`, keys sorted, as Kubernetes prints a selector. */
export function selectorText(selector: Labels): string {
  return Object.keys(selector)
    .sort()
    .map((key) => `${key}=${selector[key]}`)
    .join(',');
}

/** `selector` ⊆ `other`: everything `other` selects, `selector` selects too. */
export function selectorIsSubset(selector: Labels, other: Labels): boolean {
  for (const key in selector) {
    if (other[key] !== selector[key]) return false;
  }
  return true;
}

const pairKey = (key: string, value: string) => `${key}\u0000${value}`;

interface Bucket<T> {
  items: Set<T>;
  byPair: Map<string, Set<T>>;
}

/**
 * Items (pods, workload entries) by namespace and by label pair. `select` starts from the
 * smallest bucket among the selector's pairs, so a selector costs about the size of its answer.
 */
export class LabelIndex<T> {
  private readonly namespaces = new Map<string, Bucket<T>>();
  private readonly everywhere: Bucket<T> = { items: new Set(), byPair: new Map() };

  constructor(
    private readonly labelsOf: (item: T) => Labels,
    private readonly namespaceOf: (item: T) => string,
  ) {}

  add(item: T): void {
    let bucket = this.namespaces.get(this.namespaceOf(item));
    if (!bucket) {
      bucket = { items: new Set(), byPair: new Map() };
      this.namespaces.set(this.namespaceOf(item), bucket);
    }
    for (const target of [bucket, this.everywhere]) {
      target.items.add(item);
      const labels = this.labelsOf(item);
      for (const key in labels) {
        const pair = pairKey(key, labels[key] ?? '');
        let members = target.byPair.get(pair);
        if (!members) {
          members = new Set();
          target.byPair.set(pair, members);
        }
        members.add(item);
      }
    }
  }

  remove(item: T): void {
    const bucket = this.namespaces.get(this.namespaceOf(item));
    for (const target of bucket ? [bucket, this.everywhere] : [this.everywhere]) {
      target.items.delete(item);
      const labels = this.labelsOf(item);
      for (const key in labels) target.byPair.get(pairKey(key, labels[key] ?? ''))?.delete(item);
    }
  }

  /** Items of `namespace` (every namespace when undefined) whose labels match; an empty selector matches all. */
  select(namespace: string | undefined, selector: Labels): T[] {
    const result: T[] = [];
    this.each(namespace, selector, (item) => {
      result.push(item);
      return true;
    });
    return result;
  }

  /** Whether any item matches. */
  some(namespace: string | undefined, selector: Labels, where?: (item: T) => boolean): boolean {
    let found = false;
    this.each(namespace, selector, (item) => {
      if (where && !where(item)) return true;
      found = true;
      return false;
    });
    return found;
  }

  inNamespace(namespace: string): ReadonlySet<T> {
    return this.namespaces.get(namespace)?.items ?? new Set();
  }

  private each(namespace: string | undefined, selector: Labels, visit: (item: T) => boolean): void {
    const bucket = namespace === undefined ? this.everywhere : this.namespaces.get(namespace);
    if (!bucket) return;
    let smallest: ReadonlySet<T> = bucket.items;
    for (const key in selector) {
      const members = bucket.byPair.get(pairKey(key, selector[key] ?? ''));
      if (!members) return;
      if (members.size < smallest.size) smallest = members;
    }
    for (const item of smallest) {
      if (selectorMatches(selector, this.labelsOf(item)) && !visit(item)) return;
    }
  }
}
