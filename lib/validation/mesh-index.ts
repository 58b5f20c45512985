import type {
  ConfigSnapshot,
  IstioKind,
  IstioObject,
  MeshSettings,
  NamespaceInfo,
  PodInfo,
  ServiceInfo,
} from '../types/mesh-config';
import { HostIndex } from './host-index';
import { DEFAULT_CLUSTER_DOMAIN, toFqdn } from './hosts';
import { isEmptySelector, LabelIndex } from './labels';
import { Registry } from './registry';
import { labelMap, text, texts } from './spec';

/** Mesh settings with Istio's defaults filled in. */
export type ResolvedMesh = Required<MeshSettings>;

export function resolveMesh(mesh: MeshSettings | undefined): ResolvedMesh {
  return {
    enableAutoMtls: mesh?.enableAutoMtls ?? true,
    outboundTrafficPolicyMode: mesh?.outboundTrafficPolicyMode ?? 'ALLOW_ANY',
    trustDomain: mesh?.trustDomain ?? 'cluster.local',
    trustDomainAliases: mesh?.trustDomainAliases ?? [],
    clusterDomain: mesh?.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
    serviceEntryAddressAutoAllocation: mesh?.serviceEntryAddressAutoAllocation ?? false,
    injectNamespacesByDefault: mesh?.injectNamespacesByDefault ?? false,
    scopeGatewayToNamespace: mesh?.scopeGatewayToNamespace ?? false,
  };
}

export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/**
 * `gateways:` entries of a VirtualService as `ns/name`, resolved as pilot does: `ns/name`,
 * `./name`, a short name in the VirtualService's namespace, or the legacy `name.ns[.svc...]`.
 */
export function gatewayKey(reference: string, namespace: string): string {
  const slash = reference.indexOf('/');
  if (slash >= 0) {
    const gatewayNamespace = reference.slice(0, slash);
    return `${gatewayNamespace === '.' ? namespace : gatewayNamespace}/${reference.slice(slash + 1)}`;
  }
  const dot = reference.indexOf('.');
  if (dot < 0) return `${namespace}/${reference}`;
  const rest = reference.slice(dot + 1);
  const next = rest.indexOf('.');
  return `${next < 0 ? rest : rest.slice(0, next)}/${reference.slice(0, dot)}`;
}

/** Whether a VirtualService applies to sidecars: no `gateways`, or `mesh` among them. */
export function isMeshBound(virtualService: IstioObject): boolean {
  const gateways = texts(virtualService.spec.gateways);
  return gateways.length === 0 || gateways.includes('mesh');
}

/** Route destinations (and mirrors) of a VirtualService, with their path. */
export interface DestinationRef {
  host: string;
  subset?: string;
  port?: number;
  path: string;
  mirror: boolean;
}

/**
 * Everything the checkers look up, indexed once per snapshot: namespaces, Services and pods by
 * namespace and labels, the service registry, Istio objects by kind and namespace, and the
 * host-keyed indexes the reference and conflict checks need. Istio objects can be added and
 * removed one by one, which is how the validator revalidates after a change.
 */
export class MeshIndex {
  readonly rootNamespace: string;
  readonly mesh: ResolvedMesh;
  readonly namespaces = new Map<string, NamespaceInfo>();
  readonly services: readonly ServiceInfo[];
  readonly serviceByFqdn = new Map<string, ServiceInfo>();
  readonly servicesByNamespace = new Map<string, ServiceInfo[]>();
  readonly pods: LabelIndex<PodInfo>;
  readonly podList: readonly PodInfo[];
  readonly workloadEntries: LabelIndex<IstioObject>;
  readonly registry: Registry;
  /** `ns/name` of Secrets; undefined when the snapshot does not list them */
  readonly secrets?: ReadonlySet<string>;
  /** `ns/name` of known service accounts */
  readonly serviceAccounts = new Set<string>();
  /** Gateway API Gateways by `ns/name` → their listener hostnames */
  readonly kubernetesGateways: ReadonlyMap<string, readonly string[]>;
  /** node name → labels; undefined when the snapshot does not list nodes */
  readonly nodes?: ReadonlyMap<string, Readonly<Record<string, string>>>;

  /** DestinationRules by FQDN host */
  readonly destinationRulesByHost = new HostIndex<IstioObject>();
  /** mesh-bound VirtualServices by FQDN host */
  readonly meshVirtualServicesByHost = new HostIndex<IstioObject>();
  /** VirtualServices by FQDN destination host (routes and mirrors) */
  readonly virtualServicesByDestination = new HostIndex<IstioObject>();
  /** VirtualServices by the `ns/name` of the gateways they bind */
  readonly virtualServicesByGateway = new Map<string, Set<IstioObject>>();
  /** ServiceEntries by FQDN host */
  readonly serviceEntriesByHost = new HostIndex<IstioObject>();

  private readonly objects = new Map<IstioKind, Map<string, Map<string, IstioObject>>>();
  private readonly podsByService = new Map<ServiceInfo, PodInfo[]>();

  constructor(snapshot: ConfigSnapshot) {
    this.rootNamespace = snapshot.rootNamespace || 'istio-system';
    this.mesh = resolveMesh(snapshot.mesh);
    for (const namespace of snapshot.namespaces) this.namespaces.set(namespace.name, namespace);
    this.services = snapshot.services;
    this.registry = new Registry(this.mesh.clusterDomain);
    for (const service of snapshot.services) {
      this.serviceByFqdn.set(
        service.fqdn || toFqdn(service.name, service.namespace, this.clusterDomain),
        service,
      );
      this.registry.addService(service);
      const inNamespace = this.servicesByNamespace.get(service.namespace);
      if (inNamespace) inNamespace.push(service);
      else this.servicesByNamespace.set(service.namespace, [service]);
    }
    this.pods = new LabelIndex<PodInfo>(
      (pod) => pod.labels,
      (pod) => pod.namespace,
    );
    this.podList = snapshot.pods;
    for (const pod of snapshot.pods) {
      this.pods.add(pod);
      if (pod.serviceAccount) this.serviceAccounts.add(`${pod.namespace}/${pod.serviceAccount}`);
    }
    for (const workload of snapshot.workloads) {
      if (workload.serviceAccount)
        this.serviceAccounts.add(`${workload.namespace}/${workload.serviceAccount}`);
    }
    for (const account of snapshot.serviceAccounts ?? [])
      this.serviceAccounts.add(`${account.namespace}/${account.name}`);
    if (snapshot.secrets)
      this.secrets = new Set(snapshot.secrets.map((secret) => `${secret.namespace}/${secret.name}`));
    this.kubernetesGateways = new Map(
      (snapshot.kubernetesGateways ?? []).map((gateway) => [
        `${gateway.namespace}/${gateway.name}`,
        gateway.hostnames,
      ]),
    );
    if (snapshot.nodes) this.nodes = new Map(snapshot.nodes.map((node) => [node.name, node.labels]));
    this.workloadEntries = new LabelIndex<IstioObject>(
      (entry) => labelMap(entry.spec.labels),
      (entry) => entry.namespace,
    );
    for (const object of snapshot.istio) this.add(object);
  }

  get clusterDomain(): string {
    return this.mesh.clusterDomain;
  }

  fqdn(host: string, namespace: string): string {
    return toFqdn(host, namespace, this.clusterDomain);
  }

  /** Istio objects of a kind, in one namespace or everywhere. */
  *objectsOf(kind: IstioKind, namespace?: string): Generator<IstioObject> {
    const byNamespace = this.objects.get(kind);
    if (!byNamespace) return;
    if (namespace !== undefined) {
      yield* byNamespace.get(namespace)?.values() ?? [];
      return;
    }
    for (const objects of byNamespace.values()) yield* objects.values();
  }

  get(kind: IstioKind, namespace: string, name: string): IstioObject | undefined {
    return this.objects.get(kind)?.get(namespace)?.get(name);
  }

  /** The pods a Service selects (none for a Service without selector). */
  podsOf(service: ServiceInfo): readonly PodInfo[] {
    let pods = this.podsByService.get(service);
    if (!pods) {
      pods = isEmptySelector(service.selector) ? [] : this.pods.select(service.namespace, service.selector);
      this.podsByService.set(service, pods);
    }
    return pods;
  }

  /** Files an Istio object (replacing the object of the same kind, namespace and name). */
  add(object: IstioObject): void {
    const previous = this.get(object.kind, object.namespace, object.name);
    if (previous) this.remove(previous);
    let byNamespace = this.objects.get(object.kind);
    if (!byNamespace) {
      byNamespace = new Map();
      this.objects.set(object.kind, byNamespace);
    }
    let objects = byNamespace.get(object.namespace);
    if (!objects) {
      objects = new Map();
      byNamespace.set(object.namespace, objects);
    }
    objects.set(object.name, object);
    switch (object.kind) {
      case 'ServiceEntry':
        this.registry.addServiceEntry(object);
        for (const host of texts(object.spec.hosts))
          this.serviceEntriesByHost.add(this.fqdn(host, object.namespace), object);
        break;
      case 'WorkloadEntry':
        this.workloadEntries.add(object);
        break;
      case 'DestinationRule': {
        const host = text(object.spec.host);
        if (host) this.destinationRulesByHost.add(this.fqdn(host, object.namespace), object);
        break;
      }
      case 'VirtualService':
        this.addVirtualService(object);
        break;
      default:
        break;
    }
  }

  remove(object: IstioObject): void {
    const current = this.get(object.kind, object.namespace, object.name);
    if (!current) return;
    this.objects.get(current.kind)?.get(current.namespace)?.delete(current.name);
    switch (current.kind) {
      case 'ServiceEntry':
        this.registry.remove(current);
        this.serviceEntriesByHost.remove(current);
        break;
      case 'WorkloadEntry':
        this.workloadEntries.remove(current);
        break;
      case 'DestinationRule':
        this.destinationRulesByHost.remove(current);
        break;
      case 'VirtualService':
        this.meshVirtualServicesByHost.remove(current);
        this.virtualServicesByDestination.remove(current);
        for (const reference of texts(current.spec.gateways)) {
          this.virtualServicesByGateway.get(gatewayKey(reference, current.namespace))?.delete(current);
        }
        break;
      default:
        break;
    }
  }

  private addVirtualService(object: IstioObject): void {
    if (isMeshBound(object)) {
      for (const host of texts(object.spec.hosts))
        this.meshVirtualServicesByHost.add(this.fqdn(host, object.namespace), object);
    }
    const seen = new Set<string>();
    for (const destination of destinationsOf(object)) {
      const host = this.fqdn(destination.host, object.namespace);
      if (seen.has(host)) continue;
      seen.add(host);
      this.virtualServicesByDestination.add(host, object);
    }
    for (const reference of texts(object.spec.gateways)) {
      if (reference === 'mesh') continue;
      const key = gatewayKey(reference, object.namespace);
      let members = this.virtualServicesByGateway.get(key);
      if (!members) {
        members = new Set();
        this.virtualServicesByGateway.set(key, members);
      }
      members.add(object);
    }
  }
}

const destinationCache = new WeakMap<IstioObject, readonly DestinationRef[]>();

/**
 * Route destinations of `http`, `tcp` and `tls` rules, then http mirrors, in Istio's order.
 * Cached per object: snapshot objects are never mutated (a change is a new object).
 */
export function destinationsOf(virtualService: IstioObject): readonly DestinationRef[] {
  let cached = destinationCache.get(virtualService);
  if (!cached) {
    cached = readDestinations(virtualService);
    destinationCache.set(virtualService, cached);
  }
  return cached;
}

function readDestinations(virtualService: IstioObject): DestinationRef[] {
  const result: DestinationRef[] = [];
  for (const section of ['tcp', 'tls', 'http'] as const) {
    const rules = virtualService.spec[section];
    if (!Array.isArray(rules)) continue;
    rules.forEach((rule: unknown, ruleIndex) => {
      const routes = (rule as { route?: unknown } | null)?.route;
      if (!Array.isArray(routes)) return;
      routes.forEach((route: unknown, routeIndex) => {
        const destination = (route as { destination?: unknown } | null)?.destination;
        result.push(
          destinationRef(
            destination,
            `spec.${section}[${ruleIndex}].route[${routeIndex}].destination`,
            false,
          ),
        );
      });
    });
  }
  const rules = virtualService.spec.http;
  if (Array.isArray(rules)) {
    rules.forEach((rule: unknown, ruleIndex) => {
      const mirror = (rule as { mirror?: unknown } | null)?.mirror;
      if (mirror !== undefined && mirror !== null) {
        result.push(destinationRef(mirror, `spec.http[${ruleIndex}].mirror`, true));
      }
      const mirrors = (rule as { mirrors?: unknown } | null)?.mirrors;
      if (Array.isArray(mirrors)) {
        mirrors.forEach((entry: unknown, mirrorIndex) => {
          const destination = (entry as { destination?: unknown } | null)?.destination;
          result.push(
            destinationRef(destination, `spec.http[${ruleIndex}].mirrors[${mirrorIndex}].destination`, true),
          );
        });
      }
    });
  }
  return result;
}

function destinationRef(value: unknown, path: string, mirror: boolean): DestinationRef {
  const destination = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const port = destination.port as { number?: unknown } | undefined;
  return {
    host: typeof destination.host === 'string' ? destination.host : '',
    subset:
      typeof destination.subset === 'string' && destination.subset !== '' ? destination.subset : undefined,
    port: typeof port?.number === 'number' ? port.number : undefined,
    path,
    mirror,
  };
}
