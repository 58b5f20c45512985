/**
 * A read-only view of the live configuration, indexed for the traffic engine: services and their
 * pods, VirtualServices by host, DestinationRules by host, PeerAuthentications and
 * AuthorizationPolicies by namespace. The engine makes a new one when an object of a kind it reads
 * changes (see meshConfigPart), so a change made through the API is in effect by the next tick;
 * the parts that did not change, and the MeshPod and MeshService objects of unchanged objects, are
 * carried over, so caches keyed by them stay warm. Lookups are memoised for the view's life.
 */
import { parse as parseYaml } from 'yaml';
import type { SimulatedCluster } from '../cluster/cluster';
import { isPlainObject, type KubeObject } from '../cluster/types';
import type { Behaviour } from './behaviour';
import { hasSidecar } from './pods';

export const clusterDomain = 'svc.cluster.local';
export const rootNamespace = 'istio-system';

export type Json = Record<string, unknown>;

export function record(value: unknown): Json {
  return isPlainObject(value) ? value : {};
}

export function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** `reviews` in namespace `default` -> `reviews.default.svc.cluster.local` (Istio's short-name rule). */
export function fullyQualified(host: string, namespace: string): string {
  if (host.includes('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.${clusterDomain}`;
  if (parts.length === 2) return `${host}.${clusterDomain}`;
  return host;
}

export interface MeshService {
  name: string;
  namespace: string;
  fqdn: string;
  selector: Record<string, string>;
  ports: { name: string; port: number; targetPort: number; protocol: string }[];
  object: KubeObject;
  /** a host outside the mesh: declared by a ServiceEntry, or Envoy's PassthroughCluster / BlackHoleCluster */
  external?: ExternalKind;
}

/** How a sidecar reaches a host outside the mesh (see MeshConfig.externalService). */
export type ExternalKind = 'serviceentry' | 'PassthroughCluster' | 'BlackHoleCluster';

/** Istio's `meshConfig.outboundTrafficPolicy.mode`: ALLOW_ANY (the default) or REGISTRY_ONLY. */
export type OutboundTrafficPolicy = 'ALLOW_ANY' | 'REGISTRY_ONLY';

export interface MeshPod {
  name: string;
  namespace: string;
  ip: string;
  labels: Record<string, string>;
  serviceAccount: string;
  sidecar: boolean;
  /** the owning Deployment's name, as Istio's `source_workload` label reports it */
  workload: string;
  app: string;
  version: string;
  canonicalService: string;
  canonicalRevision: string;
  object: KubeObject;
  /** the pod's annotations parsed, once (see behaviourOf) */
  behaviour: Behaviour | undefined;
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}

/** The workload name Istio derives from a pod: its Deployment (ReplicaSet name minus the hash). */
function workloadOf(pod: KubeObject): string {
  const owner = pod.metadata.ownerReferences?.find((reference) => reference.controller);
  if (owner?.kind === 'ReplicaSet') {
    const hash = pod.metadata.labels?.['pod-template-hash'];
    return hash && owner.name.endsWith(`-${hash}`) ? owner.name.slice(0, -(hash.length + 1)) : owner.name;
  }
  return owner?.name ?? pod.metadata.name ?? '';
}

/** Stored objects are replaced, never changed in place: a view made of one stays valid while it is stored. */
const meshPods = new WeakMap<KubeObject, MeshPod | null>();
const meshServices = new WeakMap<KubeObject, MeshService>();

export function toMeshPod(pod: KubeObject): MeshPod | undefined {
  const cached = meshPods.get(pod);
  if (cached !== undefined) return cached ?? undefined;
  const made = makeMeshPod(pod);
  meshPods.set(pod, made ?? null);
  return made;
}

function makeMeshPod(pod: KubeObject): MeshPod | undefined {
  const status = record(pod.status);
  if (status.phase !== 'Running' || typeof status.podIP !== 'string') return undefined;
  const labels = pod.metadata.labels ?? {};
  const workload = workloadOf(pod);
  const app = labels.app ?? labels['app.kubernetes.io/name'] ?? workload;
  const version = labels.version ?? labels['app.kubernetes.io/version'] ?? 'unknown';
  return {
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace ?? '',
    ip: status.podIP,
    labels,
    serviceAccount:
      typeof record(pod.spec).serviceAccountName === 'string'
        ? (record(pod.spec).serviceAccountName as string)
        : 'default',
    sidecar: hasSidecar(pod),
    workload,
    app,
    version,
    canonicalService: labels['service.istio.io/canonical-name'] ?? app,
    canonicalRevision: labels['service.istio.io/canonical-revision'] ?? labels.version ?? 'latest',
    object: pod,
    behaviour: undefined,
  };
}

function toMeshService(object: KubeObject): MeshService {
  const cached = meshServices.get(object);
  if (cached) return cached;
  const spec = record(object.spec);
  const namespace = object.metadata.namespace ?? '';
  const name = object.metadata.name ?? '';
  const service: MeshService = {
    name,
    namespace,
    fqdn: `${name}.${namespace}.${clusterDomain}`,
    selector: record(spec.selector) as Record<string, string>,
    ports: list(spec.ports).map((port) => ({
      name: typeof port.name === 'string' ? port.name : '',
      port: Number(port.port),
      targetPort: typeof port.targetPort === 'number' ? port.targetPort : Number(port.port),
      protocol: typeof port.protocol === 'string' ? port.protocol : 'TCP',
    })),
    object,
  };
  meshServices.set(object, service);
  return service;
}

const principals = new WeakMap<MeshPod, string>();

export function principalOf(pod: MeshPod): string {
  let principal = principals.get(pod);
  if (principal === undefined) {
    principal = `spiffe://cluster.local/ns/${pod.namespace}/sa/${pod.serviceAccount}`;
    principals.set(pod, principal);
  }
  return principal;
}

/** What a MeshConfig is made of, by the kinds of objects each part reads. */
export type MeshConfigPart = 'workloads' | 'routing' | 'security';

const partsByResource = new Map<string, MeshConfigPart>([
  ['/pods', 'workloads'],
  ['/services', 'workloads'],
  ['/namespaces', 'workloads'],
  ['networking.istio.io/virtualservices', 'routing'],
  ['networking.istio.io/destinationrules', 'routing'],
  ['networking.istio.io/serviceentries', 'routing'],
  ['security.istio.io/peerauthentications', 'security'],
  ['security.istio.io/authorizationpolicies', 'security'],
]);

/** The part of the MeshConfig a change to `resource` (`group/plural`) invalidates; undefined: none. */
export function meshConfigPart(resource: string, object?: KubeObject): MeshConfigPart | undefined {
  // Of the ConfigMaps, only the `istio` one's mesh config (outboundTrafficPolicy) is read.
  if (resource === '/configmaps')
    return object?.metadata.name === 'istio' && object.metadata.namespace === rootNamespace
      ? 'routing'
      : undefined;
  return partsByResource.get(resource);
}

interface Workloads {
  services: Map<string, MeshService>;
  pods: MeshPod[];
  podsByName: Map<string, MeshPod>;
  namespaces: Map<string, KubeObject>;
  podsOfService: Map<string, MeshPod[]>;
  servicesOfPod: Map<MeshPod, MeshService[]>;
}

/** A VirtualService or DestinationRule with what host lookups need, parsed once. */
interface HostRule {
  object: KubeObject;
  /** position in the store's list order, which breaks ties as the unindexed scan did */
  order: number;
  namespace: string;
  exportTo: unknown;
  /** fully qualified host patterns */
  hosts: string[];
  gateways: string[];
}

/** Rules by exact host, plus those with wildcard hosts (checked for every host). */
class HostIndex {
  private readonly exact = new Map<string, HostRule[]>();
  private readonly wildcards: HostRule[] = [];

  constructor(rules: HostRule[]) {
    for (const rule of rules) {
      let wildcard = false;
      for (const host of new Set(rule.hosts)) {
        if (host.startsWith('*')) {
          wildcard = true;
          continue;
        }
        let bucket = this.exact.get(host);
        if (!bucket) {
          bucket = [];
          this.exact.set(host, bucket);
        }
        bucket.push(rule);
      }
      if (wildcard) this.wildcards.push(rule);
    }
  }

  /** The rules with a host matching `fqdn`, in list order, each once. */
  candidates(fqdn: string): HostRule[] {
    const exact = this.exact.get(fqdn) ?? [];
    if (this.wildcards.length === 0) return exact;
    const matched = this.wildcards.filter((rule) => rule.hosts.some((host) => hostMatches(host, fqdn)));
    if (matched.length === 0) return exact;
    const merged = [...new Set([...exact, ...matched])];
    merged.sort((a, b) => a.order - b.order);
    return merged;
  }
}

interface Routing {
  virtualServices: HostIndex;
  destinationRules: HostIndex;
  serviceEntries: HostIndex;
  outboundTrafficPolicy: OutboundTrafficPolicy;
}

/** `outboundTrafficPolicy.mode` from the `istio` ConfigMap's mesh config in the root namespace. */
function outboundTrafficPolicyOf(cluster: SimulatedCluster): OutboundTrafficPolicy {
  const configMap = cluster.store.get('/configmaps', rootNamespace, 'istio');
  const mesh = record(configMap?.data).mesh;
  if (typeof mesh !== 'string') return 'ALLOW_ANY';
  try {
    const mode = record(record(parseYaml(mesh)).outboundTrafficPolicy).mode;
    return mode === 'REGISTRY_ONLY' ? 'REGISTRY_ONLY' : 'ALLOW_ANY';
  } catch {
    // istiod keeps its last good mesh config; the simulator falls back to Istio's default.
    return 'ALLOW_ANY';
  }
}

/**
 * Whether a call host leaves the cluster: a name with a dot that is not a cluster-local one
 * (`NAME.svc.cluster.local`, `NAME.NAMESPACE.svc`, `NAME.NAMESPACE` of a namespace that exists).
 */
export function isExternalHost(host: string, namespaces: ReadonlyMap<string, unknown>): boolean {
  const parts = host.split('.');
  if (parts.length < 2 || host.endsWith(`.${clusterDomain}`) || host.endsWith('.svc')) return false;
  return !(parts.length === 2 && namespaces.has(parts[1] as string));
}

interface Security {
  peerAuthentications: KubeObject[];
  authorizationPolicies: KubeObject[];
}

/**
 * A three-level cache: Map lookups on strings the engine already holds, no key strings built, and
 * (on a hit) no closure allocated.
 */
export class Cache3<V> {
  private readonly entries = new Map<string, Map<string, Map<string, V>>>();

  /** The cached value, or `make(a, b, c)` (cached: make() runs once per key, even for undefined). */
  get(a: string, b: string, c: string, make: (a: string, b: string, c: string) => V): V {
    let second = this.entries.get(a);
    if (!second) {
      second = new Map();
      this.entries.set(a, second);
    }
    let third = second.get(b);
    if (!third) {
      third = new Map();
      second.set(b, third);
    }
    const found = third.get(c);
    if (found !== undefined || third.has(c)) return found as V;
    const value = make(a, b, c);
    third.set(c, value);
    return value;
  }
}

export class MeshConfig {
  readonly services: Map<string, MeshService>;
  readonly pods: MeshPod[];
  readonly podsByName: Map<string, MeshPod>;
  readonly peerAuthentications: KubeObject[];
  readonly authorizationPolicies: KubeObject[];
  readonly namespaces: Map<string, KubeObject>;
  /** which parts were built fresh rather than taken from the previous view */
  readonly rebuilt: ReadonlySet<MeshConfigPart>;
  private readonly workloads: Workloads;
  private readonly routing: Routing;
  private readonly security: Security;
  private readonly podsOfService: Map<string, MeshPod[]>;
  private readonly servicesOfPod: Map<MeshPod, MeshService[]>;
  private readonly virtualServiceByHost = new Cache3<KubeObject | undefined>();
  private readonly destinationRuleByHost = new Cache3<KubeObject | undefined>();
  private readonly externalByHost = new Cache3<MeshService>();
  /** the mesh's `outboundTrafficPolicy.mode` */
  readonly outboundTrafficPolicy: OutboundTrafficPolicy;

  /**
   * The view of the cluster now. With `previous`, only the parts in `changed` are rebuilt; the
   * others (and the MeshPod and MeshService objects of unchanged objects) are shared.
   */
  constructor(cluster: SimulatedCluster, previous?: MeshConfig, changed?: ReadonlySet<MeshConfigPart>) {
    const store = cluster.store;
    const stale = (part: MeshConfigPart) => !previous || !changed || changed.has(part);
    const rebuilt = new Set<MeshConfigPart>();
    if (stale('workloads') || !previous) {
      this.workloads = buildWorkloads(cluster);
      rebuilt.add('workloads');
    } else {
      this.workloads = previous.workloads;
    }
    if (stale('routing') || !previous) {
      this.routing = {
        virtualServices: new HostIndex(
          store.list('networking.istio.io/virtualservices').map((object, order) => {
            const spec = record(object.spec);
            const namespace = object.metadata.namespace ?? '';
            return {
              object,
              order,
              namespace,
              exportTo: spec.exportTo,
              // `name.namespace` is read as a Service; an external `httpbin.org` also as itself.
              hosts: strings(spec.hosts).flatMap((host) =>
                isExternalHost(host, this.workloads.namespaces)
                  ? [fullyQualified(host, namespace), host]
                  : [fullyQualified(host, namespace)],
              ),
              gateways: strings(spec.gateways),
            };
          }),
        ),
        destinationRules: new HostIndex(
          store.list('networking.istio.io/destinationrules').map((object, order) => {
            const spec = record(object.spec);
            const namespace = object.metadata.namespace ?? '';
            return {
              object,
              order,
              namespace,
              exportTo: spec.exportTo,
              hosts: typeof spec.host === 'string' ? [fullyQualified(spec.host, namespace)] : [],
              gateways: [],
            };
          }),
        ),
        serviceEntries: new HostIndex(
          store.list('networking.istio.io/serviceentries').map((object, order) => {
            const spec = record(object.spec);
            return {
              object,
              order,
              namespace: object.metadata.namespace ?? '',
              exportTo: spec.exportTo,
              // ServiceEntry hosts are names as callers use them, never namespace-relative here.
              hosts: strings(spec.hosts),
              gateways: [],
            };
          }),
        ),
        outboundTrafficPolicy: outboundTrafficPolicyOf(cluster),
      };
      rebuilt.add('routing');
    } else {
      this.routing = previous.routing;
    }
    if (stale('security') || !previous) {
      this.security = {
        peerAuthentications: store.list('security.istio.io/peerauthentications'),
        authorizationPolicies: store.list('security.istio.io/authorizationpolicies'),
      };
      rebuilt.add('security');
    } else {
      this.security = previous.security;
    }
    this.rebuilt = rebuilt;
    this.services = this.workloads.services;
    this.pods = this.workloads.pods;
    this.podsByName = this.workloads.podsByName;
    this.namespaces = this.workloads.namespaces;
    this.podsOfService = this.workloads.podsOfService;
    this.servicesOfPod = this.workloads.servicesOfPod;
    this.peerAuthentications = this.security.peerAuthentications;
    this.authorizationPolicies = this.security.authorizationPolicies;
    this.outboundTrafficPolicy = this.routing.outboundTrafficPolicy;
  }

  /**
   * The service a sidecar sends a call for an external `host` to: the ServiceEntry that declares
   * it (visible from the caller's namespace; Istio reports the entry's host and namespace), else
   * PassthroughCluster under ALLOW_ANY or BlackHoleCluster under REGISTRY_ONLY, which Istio
   * reports with `destination_service_name` set to the cluster's name and the request's host as
   * `destination_service` (`unknown` for TCP, where no host is seen). Undefined: not external.
   */
  externalService(host: string, callerNamespace: string, protocol: 'http' | 'tcp'): MeshService | undefined {
    if (!isExternalHost(host, this.namespaces)) return undefined;
    return this.externalByHost.get(callerNamespace, host, protocol, this.findExternalService);
  }

  private readonly findExternalService = (
    callerNamespace: string,
    host: string,
    protocol: string,
  ): MeshService => {
    const entry = this.routing.serviceEntries
      .candidates(host)
      .filter((rule) => visibleFrom(rule.exportTo, rule.namespace, callerNamespace))
      .sort((a, b) => preference(a.object, callerNamespace) - preference(b.object, callerNamespace))[0];
    if (entry) {
      const spec = record(entry.object.spec);
      // A wildcard entry reports the host it declares; an exact one the host itself.
      const declared = entry.hosts.find((pattern) => pattern === host) ?? entry.hosts[0] ?? host;
      return {
        name: declared,
        namespace: entry.namespace,
        fqdn: declared,
        selector: {},
        ports: list(spec.ports).map((port) => ({
          name: typeof port.name === 'string' ? port.name : '',
          port: Number(port.number),
          targetPort: typeof port.targetPort === 'number' ? port.targetPort : Number(port.number),
          protocol: typeof port.protocol === 'string' ? port.protocol : 'TCP',
        })),
        object: entry.object,
        external: 'serviceentry',
      };
    }
    const cluster =
      this.outboundTrafficPolicy === 'REGISTRY_ONLY' ? 'BlackHoleCluster' : 'PassthroughCluster';
    return {
      name: cluster,
      namespace: 'unknown',
      fqdn: protocol === 'tcp' ? 'unknown' : host,
      selector: {},
      ports: [],
      object: { apiVersion: 'v1', kind: 'Service', metadata: { name: cluster } },
      external: cluster,
    };
  };

  podsOf(service: MeshService): MeshPod[] {
    return this.podsOfService.get(service.fqdn) ?? [];
  }

  /** The services a pod backs (Istio's destination_service for inbound traffic). */
  servicesOf(pod: MeshPod): MeshService[] {
    return this.servicesOfPod.get(pod) ?? [];
  }

  /**
   * The VirtualService that routes `host` for a caller in `callerNamespace` (mesh gateway): one in
   * the caller's namespace first, then any exported one; the oldest wins, as Istio merges them.
   */
  virtualServiceFor(fqdn: string, callerNamespace: string, gateway = 'mesh'): KubeObject | undefined {
    return this.virtualServiceByHost.get(gateway, callerNamespace, fqdn, this.findVirtualService);
  }

  /** The DestinationRule for `host` as seen from `callerNamespace` (caller's namespace, then the host's, then root). */
  destinationRuleFor(fqdn: string, callerNamespace: string): KubeObject | undefined {
    return this.destinationRuleByHost.get(callerNamespace, fqdn, '', this.findDestinationRule);
  }

  private readonly findVirtualService = (
    gateway: string,
    callerNamespace: string,
    fqdn: string,
  ): KubeObject | undefined => {
    const candidates = this.routing.virtualServices.candidates(fqdn).filter((rule) => {
      const applies =
        rule.gateways.length === 0
          ? gateway === 'mesh'
          : rule.gateways.some((name) => name === gateway || name.endsWith(`/${gateway}`));
      return applies && visibleFrom(rule.exportTo, rule.namespace, callerNamespace);
    });
    const objects = candidates.map((rule) => rule.object);
    objects.sort(
      (a, b) => preference(a, callerNamespace) - preference(b, callerNamespace) || compareAge(a, b),
    );
    return objects[0];
  };

  private readonly findDestinationRule = (callerNamespace: string, fqdn: string): KubeObject | undefined => {
    const serviceNamespace = this.services.get(fqdn)?.namespace ?? '';
    const candidates = this.routing.destinationRules
      .candidates(fqdn)
      .filter((rule) => visibleFrom(rule.exportTo, rule.namespace, callerNamespace))
      .map((rule) => rule.object);
    const rank = (object: KubeObject) => {
      const namespace = object.metadata.namespace ?? '';
      if (namespace === callerNamespace) return 0;
      if (namespace === serviceNamespace) return 1;
      if (namespace === rootNamespace) return 2;
      return 3;
    };
    candidates.sort((a, b) => rank(a) - rank(b) || compareAge(a, b));
    return candidates[0];
  };
}

function buildWorkloads(cluster: SimulatedCluster): Workloads {
  const store = cluster.store;
  const namespaces = new Map<string, KubeObject>();
  for (const namespace of store.list('/namespaces')) namespaces.set(namespace.metadata.name ?? '', namespace);
  const pods: MeshPod[] = [];
  const podsByName = new Map<string, MeshPod>();
  /** namespace → label key → label value → pods, in list order */
  const byLabel = new Map<string, Map<string, Map<string, MeshPod[]>>>();
  for (const object of store.list('/pods')) {
    const pod = toMeshPod(object);
    if (!pod) continue;
    pods.push(pod);
    podsByName.set(`${pod.namespace}/${pod.name}`, pod);
    let keys = byLabel.get(pod.namespace);
    if (!keys) {
      keys = new Map();
      byLabel.set(pod.namespace, keys);
    }
    for (const key in pod.labels) {
      let values = keys.get(key);
      if (!values) {
        values = new Map();
        keys.set(key, values);
      }
      const value = pod.labels[key] as string;
      const bucket = values.get(value);
      if (bucket) bucket.push(pod);
      else values.set(value, [pod]);
    }
  }
  const services = new Map<string, MeshService>();
  const podsOfService = new Map<string, MeshPod[]>();
  const servicesOfPod = new Map<MeshPod, MeshService[]>();
  for (const object of store.list('/services')) {
    const service = toMeshService(object);
    services.set(service.fqdn, service);
    // The narrowest of the selector's label buckets, then the whole selector on those.
    let narrowest: MeshPod[] | undefined;
    const keys = byLabel.get(service.namespace);
    for (const key in service.selector) {
      const bucket = keys?.get(key)?.get(service.selector[key] as string) ?? [];
      if (!narrowest || bucket.length < narrowest.length) narrowest = bucket;
    }
    const members = narrowest ? narrowest.filter((pod) => labelsMatch(service.selector, pod.labels)) : [];
    podsOfService.set(service.fqdn, members);
    for (const member of members) {
      const backed = servicesOfPod.get(member);
      if (backed) backed.push(service);
      else servicesOfPod.set(member, [service]);
    }
  }
  return { services, pods, podsByName, namespaces, podsOfService, servicesOfPod };
}

function preference(object: KubeObject, callerNamespace: string): number {
  return object.metadata.namespace === callerNamespace ? 0 : 1;
}

function compareAge(a: KubeObject, b: KubeObject): number {
  return (
    (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') ||
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
  );
}

/** `exportTo`: absent or `*` = everywhere, `.` = own namespace, else the listed namespaces. */
function visibleFrom(exportTo: unknown, ownNamespace: string, callerNamespace: string): boolean {
  const targets = strings(exportTo);
  if (targets.length === 0) return true;
  return targets.some(
    (target) =>
      target === '*' || (target === '.' && ownNamespace === callerNamespace) || target === callerNamespace,
  );
}

/** Exact host or a `*.suffix` wildcard; `*` matches everything. */
export function hostMatches(pattern: string, fqdn: string): boolean {
  if (pattern === '*' || pattern === fqdn) return true;
  return pattern.startsWith('*.') && fqdn.endsWith(pattern.slice(1));
}
