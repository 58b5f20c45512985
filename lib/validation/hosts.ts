/**
 * Host names as Istio reads them (`istio/istio:pkg/config/host`, `analyzers/util/hosts.go`):
 * short names are relative to the namespace of the object that writes them, a leading `*` is a
 * wildcard over any prefix, and `exportTo` decides which namespaces see an object.
 */

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

export function isWildcardHost(host: string): boolean {
  return host.startsWith('*');
}

/** `reviews` written in namespace `default` → `reviews.default.svc.cluster.local`; FQDNs and wildcards unchanged. */
export function toFqdn(host: string, namespace: string, clusterDomain = DEFAULT_CLUSTER_DOMAIN): string {
  if (isWildcardHost(host) || host.includes('.')) return host;
  return `${host}.${namespace}.svc.${clusterDomain}`;
}

/** `name.namespace.svc.<domain>` → its Service, else undefined. */
export function serviceOfFqdn(
  fqdn: string,
  clusterDomain = DEFAULT_CLUSTER_DOMAIN,
): { name: string; namespace: string } | undefined {
  const suffix = `.svc.${clusterDomain}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0].startsWith('*')) return undefined;
  return { name: parts[0], namespace: parts[1] };
}

/**
 * Whether two hosts can name the same thing (Istio's `host.Name.Matches`): equal, or one is a
 * wildcard whose suffix the other ends with (two wildcards: the shorter suffix covers the longer).
 */
export function hostsOverlap(a: string, b: string): boolean {
  const aWild = isWildcardHost(a);
  const bWild = isWildcardHost(b);
  if (!aWild && !bWild) return a === b;
  if (aWild && bWild) {
    const aSuffix = a.slice(1);
    const bSuffix = b.slice(1);
    return aSuffix.length <= bSuffix.length ? bSuffix.endsWith(aSuffix) : aSuffix.endsWith(bSuffix);
  }
  return aWild ? b.endsWith(a.slice(1)) : a.endsWith(b.slice(1));
}

/** Whether every name `host` stands for is also named by `pattern` (Istio's `SubsetOf`, reversed). */
export function hostCovers(pattern: string, host: string): boolean {
  if (!isWildcardHost(pattern)) return pattern === host;
  const suffix = pattern.slice(1);
  return isWildcardHost(host) ? host.slice(1).endsWith(suffix) : host.endsWith(suffix);
}

/** Which namespaces see an object: every namespace, or the listed ones. */
export interface ExportScope {
  all: boolean;
  namespaces: ReadonlySet<string>;
}

export const EXPORTED_EVERYWHERE: ExportScope = { all: true, namespaces: new Set() };

/** `exportTo` of an object in `namespace`: empty or `*` = everywhere, `.` = its own namespace, `~` = nowhere. */
export function exportScope(exportTo: readonly string[], namespace: string): ExportScope {
  if (exportTo.length === 0 || exportTo.includes('*')) return EXPORTED_EVERYWHERE;
  const namespaces = new Set<string>();
  for (const entry of exportTo) {
    if (entry === '.') namespaces.add(namespace);
    else if (entry !== '~') namespaces.add(entry);
  }
  return { all: false, namespaces };
}

/** A Service's `networking.istio.io/exportTo` annotation, as a list. */
export function exportToAnnotation(annotations: Readonly<Record<string, string>> | undefined): string[] {
  const value = annotations?.['networking.istio.io/exportTo'];
  if (!value) return [];
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

export function visibleIn(scope: ExportScope, namespace: string): boolean {
  return scope.all || scope.namespaces.has(namespace);
}

export function scopesIntersect(a: ExportScope, b: ExportScope): boolean {
  if (a.all || b.all) return true;
  for (const namespace of a.namespaces) if (b.namespaces.has(namespace)) return true;
  return false;
}

/** `ns/host` as written in Gateway servers and Sidecar egress hosts, split; `*` namespace when absent. */
export function splitNamespacedHost(entry: string): { namespace: string; host: string } {
  const slash = entry.indexOf('/');
  if (slash < 0) return { namespace: '*', host: entry };
  return { namespace: entry.slice(0, slash), host: entry.slice(slash + 1) };
}
