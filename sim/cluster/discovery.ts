/**
 * Discovery documents: the legacy per-group-version lists client-node reads, and the aggregated
 * v2 lists kubectl asks for first (see shared/research/k8s-api-surface.md §1.5).
 */
import type { ResourceRegistry } from './registry';
import { groupVersion, type ResourceType } from './resource-type';

export const aggregatedContentType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether the client asked for aggregated discovery (v2 or v2beta1) in its Accept header. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const entry of accept.split(',')) {
    if (!entry.includes('as=APIGroupDiscoveryList')) continue;
    if (entry.includes('v=v2beta1')) return 'v2beta1';
    if (entry.includes('v=v2')) return 'v2';
  }
  return undefined;
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: string, versions: string[]) {
  const entries = versions.map((version) => ({ groupVersion: groupVersion(group, version), version }));
  return { name: group, versions: entries, preferredVersion: entries[0] };
}

export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((entry) => entry.group !== '')
      .map((entry) => groupEntry(entry.group, entry.versions)),
  };
}

export function apiGroup(registry: ResourceRegistry, group: string) {
  const found = registry.groups().find((entry) => entry.group === group);
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, found.versions) } : undefined;
}

function subresourceVerbs(subresource: string): string[] {
  switch (subresource) {
    case 'status':
    case 'scale':
      return ['get', 'patch', 'update'];
    case 'log':
      return ['get'];
    case 'token':
      return ['create'];
    case 'proxy':
      return ['create', 'delete', 'get', 'patch', 'update'];
    case 'finalize':
      return ['update'];
    default:
      return ['create', 'get'];
  }
}

function subresourceKind(
  type: ResourceType,
  subresource: string,
): { group: string; version: string; kind: string } {
  if (subresource === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  if (subresource === 'token') return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
  if (subresource === 'portforward' || subresource === 'exec')
    return {
      group: '',
      version: 'v1',
      kind: `Pod${subresource === 'exec' ? 'ExecOptions' : 'PortForwardOptions'}`,
    };
  return { group: type.group, version: '', kind: type.kind };
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string) {
  const resolved = registry.inGroupVersion(group, version);
  if (resolved.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const { type } of resolved) {
    const entry: Record<string, unknown> = {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: type.verbs,
    };
    if (type.shortNames.length > 0) entry.shortNames = type.shortNames;
    if (type.categories.length > 0) entry.categories = type.categories;
    resources.push(entry);
    for (const subresource of type.subresources) {
      const kind = subresourceKind(type, subresource);
      const sub: Record<string, unknown> = {
        name: `${type.plural}/${subresource}`,
        singularName: '',
        namespaced: type.namespaced,
        kind: kind.kind,
        verbs: subresourceVerbs(subresource),
      };
      if (kind.group !== group) sub.group = kind.group;
      if (kind.version) sub.version = kind.version;
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources };
}

function aggregatedResource(type: ResourceType, version: string) {
  const entry: Record<string, unknown> = {
    resource: type.plural,
    responseKind: { group: type.group, version, kind: type.kind },
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: type.verbs,
  };
  if (type.shortNames.length > 0) entry.shortNames = type.shortNames;
  if (type.categories.length > 0) entry.categories = type.categories;
  if (type.subresources.length > 0) {
    entry.subresources = type.subresources.map((subresource) => {
      const kind = subresourceKind(type, subresource);
      return {
        subresource,
        responseKind: { group: kind.group, version: kind.version || version, kind: kind.kind },
        verbs: subresourceVerbs(subresource),
      };
    });
  }
  return entry;
}

/** The aggregated discovery list for `/api` (core only) or `/apis` (every other group). */
export function aggregatedDiscovery(registry: ResourceRegistry, core: boolean, format: 'v2' | 'v2beta1') {
  const items = registry
    .groups()
    .filter((entry) => (core ? entry.group === '' : entry.group !== ''))
    .map((entry) => ({
      metadata: { name: entry.group, creationTimestamp: null },
      versions: entry.versions.map((version) => ({
        version,
        freshness: 'Current',
        resources: registry
          .inGroupVersion(entry.group, version)
          .map(({ type }) => aggregatedResource(type, version)),
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${format}`, metadata: {}, items };
}
