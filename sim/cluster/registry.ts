/** The kinds the simulated API server serves: built-ins plus whatever CRDs register. */
import { type ResourceType, type ResourceVersionInfo, resourceKey } from './resource-type';

export interface ResolvedResource {
  type: ResourceType;
  version: ResourceVersionInfo;
}

export class ResourceRegistry {
  private readonly types = new Map<string, ResourceType>();
  private changeCount = 0;

  /** Bumped whenever a kind is added, changed or removed: keys caches of discovery documents. */
  get revision(): number {
    return this.changeCount;
  }

  register(type: ResourceType): void {
    this.types.set(resourceKey(type.group, type.plural), type);
    this.changeCount += 1;
  }

  unregister(group: string, plural: string): void {
    if (this.types.delete(resourceKey(group, plural))) this.changeCount += 1;
  }

  /** Find a kind by plural, singular or short name across groups (as kubectl resolves `vs`). */
  find(name: string): ResourceType | undefined {
    for (const type of this.types.values()) {
      if (type.plural === name || type.singular === name || type.shortNames.includes(name)) return type;
    }
    return undefined;
  }

  get(group: string, plural: string): ResourceType | undefined {
    return this.types.get(resourceKey(group, plural));
  }

  /** The type served at GROUP/VERSION under PLURAL, if that version is served. */
  resolve(group: string, version: string, plural: string): ResolvedResource | undefined {
    const type = this.get(group, plural);
    const served = type?.versions.find((candidate) => candidate.name === version && candidate.served);
    return type && served ? { type, version: served } : undefined;
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Groups with their served versions, most preferred first; the core group first. */
  groups(): { group: string; versions: string[] }[] {
    const byGroup = new Map<string, Set<string>>();
    for (const type of this.types.values()) {
      const versions = byGroup.get(type.group) ?? new Set<string>();
      for (const version of type.versions) if (version.served) versions.add(version.name);
      byGroup.set(type.group, versions);
    }
    return [...byGroup.entries()]
      .map(([group, versions]) => ({ group, versions: [...versions].sort(compareKubeVersions) }))
      .sort((a, b) => groupOrder(a.group) - groupOrder(b.group) || a.group.localeCompare(b.group));
  }

  /** The types served in one group-version. */
  inGroupVersion(group: string, version: string): ResolvedResource[] {
    const found: ResolvedResource[] = [];
    for (const type of this.types.values()) {
      if (type.group !== group) continue;
      const served = type.versions.find((candidate) => candidate.name === version && candidate.served);
      if (served) found.push({ type, version: served });
    }
    return found.sort((a, b) => a.type.plural.localeCompare(b.type.plural));
  }
}

/** Core first, then the built-in groups in the order kube-apiserver lists them, then the rest. */
function groupOrder(group: string): number {
  const order = [
    '',
    'apps',
    'events.k8s.io',
    'authentication.k8s.io',
    'authorization.k8s.io',
    'discovery.k8s.io',
  ];
  const index = order.indexOf(group);
  return index === -1 ? order.length : index;
}

/**
 * Kubernetes version priority: GA before beta before alpha, higher numbers first within each
 * (v1 > v1beta2 > v1beta1 > v1alpha3; see apimachinery's version.CompareKubeAwareVersionStrings).
 */
export function compareKubeVersions(a: string, b: string): number {
  return versionRank(b) - versionRank(a) || a.localeCompare(b);
}

function versionRank(version: string): number {
  const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!match) return -1;
  const major = Number(match[1]);
  const stability = match[2] === undefined ? 3 : match[2] === 'beta' ? 2 : 1;
  const minor = Number(match[3] ?? 0);
  return stability * 1_000_000 + major * 1_000 + minor;
}
