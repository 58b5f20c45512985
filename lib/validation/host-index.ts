import { hostCovers, hostsOverlap, isWildcardHost } from './hosts';

/**
 * Values filed under host names, answering "which entries overlap this host" without comparing
 * every pair. Exact hosts are filed under the host; the first query with a wildcard also files
 * them under each of their dot-suffixes (`a.b.c` under `.b.c` and `.c`), so that `*.b.c` finds
 * them with one lookup. Wildcard hosts are few in real meshes and are compared one by one.
 */
export class HostIndex<V> {
  private readonly exact = new Map<string, Set<V>>();
  private bySuffix: Map<string, Set<V>> | undefined;
  private readonly wildcards = new Map<string, Set<V>>();
  private readonly hostsOf = new Map<V, string[]>();

  add(host: string, value: V): void {
    const hosts = this.hostsOf.get(value);
    if (hosts) hosts.push(host);
    else this.hostsOf.set(value, [host]);
    if (isWildcardHost(host)) {
      file(this.wildcards, host, value);
      return;
    }
    file(this.exact, host, value);
    if (this.bySuffix) fileSuffixes(this.bySuffix, host, value);
  }

  /** Removes every host filed for `value`. */
  remove(value: V): void {
    for (const host of this.hostsOf.get(value) ?? []) {
      if (isWildcardHost(host)) {
        this.wildcards.get(host)?.delete(value);
        continue;
      }
      this.exact.get(host)?.delete(value);
      if (this.bySuffix) {
        for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
          this.bySuffix.get(host.slice(dot))?.delete(value);
        }
      }
    }
    this.hostsOf.delete(value);
  }

  /** Values filed under exactly `host`. */
  exactly(host: string): V[] {
    const values = (isWildcardHost(host) ? this.wildcards : this.exact).get(host);
    return values ? [...values] : [];
  }

  /** Values with a host that overlaps `host` (each value once). */
  overlapping(host: string): V[] {
    return this.collect(host, hostsOverlap);
  }

  /** Values with a host that covers every name of `host` (equal, or a wildcard over it). */
  covering(host: string): V[] {
    return this.collect(host, hostCovers);
  }

  values(): IterableIterator<V> {
    return this.hostsOf.keys();
  }

  hosts(value: V): readonly string[] {
    return this.hostsOf.get(value) ?? [];
  }

  private collect(host: string, matches: (filed: string, query: string) => boolean): V[] {
    const result = new Set<V>();
    if (!isWildcardHost(host)) {
      for (const value of this.exact.get(host) ?? []) result.add(value);
    } else if (matches === hostsOverlap) {
      // An exact host overlaps a wildcard query when it ends with the wildcard's suffix.
      const suffix = host.slice(1);
      if (suffix.startsWith('.')) {
        for (const value of this.suffixes().get(suffix) ?? []) result.add(value);
      } else {
        for (const [filed, values] of this.exact) {
          if (filed.endsWith(suffix)) for (const value of values) result.add(value);
        }
      }
    }
    for (const [pattern, values] of this.wildcards) {
      if (values.size > 0 && matches(pattern, host)) for (const value of values) result.add(value);
    }
    return [...result];
  }

  private suffixes(): Map<string, Set<V>> {
    if (!this.bySuffix) {
      const bySuffix = new Map<string, Set<V>>();
      for (const [host, values] of this.exact)
        for (const value of values) fileSuffixes(bySuffix, host, value);
      this.bySuffix = bySuffix;
    }
    return this.bySuffix;
  }
}

function file<V>(map: Map<string, Set<V>>, key: string, value: V): void {
  let values = map.get(key);
  if (!values) {
    values = new Set();
    map.set(key, values);
  }
  values.add(value);
}

function fileSuffixes<V>(map: Map<string, Set<V>>, host: string, value: V): void {
  for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1))
    file(map, host.slice(dot), value);
}
