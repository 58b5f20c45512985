/**
 * A read-only view of the live configuration, indexed for the traffic engine: services and their
 * pods, VirtualServices by host, DestinationRules by host, PeerAuthentications and
 * AuthorizationPolicies by namespace. Rebuilt when the cluster's resourceVersion moves, so a change
 * made through the API is in effect by the next tick.
 */
import type { SimulatedCluster } from '../cluster/cluster';
import { isPlainObject, type KubeObject } from '../cluster/types';
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
}

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
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.every(([key, value]) => labels[key] === value);
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

export function toMeshPod(pod: KubeObject): MeshPod | undefined {
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
  };
}

export function principalOf(pod: MeshPod): string {
  return `spiffe://cluster.local/ns/${pod.namespace}/sa/${pod.serviceAccount}`;
}

export class MeshConfig {
  readonly services = new Map<string, MeshService>();
  readonly pods: MeshPod[] = [];
  readonly podsByName = new Map<string, MeshPod>();
  private readonly virtualServices: KubeObject[];
  private readonly destinationRules: KubeObject[];
  readonly peerAuthentications: KubeObject[];
  readonly authorizationPolicies: KubeObject[];
  readonly namespaces = new Map<string, KubeObject>();
  private readonly podsOfService = new Map<string, MeshPod[]>();
  private readonly servicesOfPod = new Map<MeshPod, MeshService[]>();
  private readonly virtualServiceByHost = new Map<string, KubeObject | undefined>();
  private readonly destinationRuleByHost = new Map<string, KubeObject | undefined>();

  constructor(cluster: SimulatedCluster) {
    const store = cluster.store;
    for (const namespace of store.list('/namespaces'))
      this.namespaces.set(namespace.metadata.name ?? '', namespace);
    for (const object of store.list('/pods')) {
      const pod = toMeshPod(object);
      if (!pod) continue;
      this.pods.push(pod);
      this.podsByName.set(`${pod.namespace}/${pod.name}`, pod);
    }
    for (const object of store.list('/services')) {
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
      this.services.set(service.fqdn, service);
      const members =
        Object.keys(service.selector).length === 0
          ? []
          : this.pods.filter(
              (pod) => pod.namespace === namespace && labelsMatch(service.selector, pod.labels),
            );
      this.podsOfService.set(service.fqdn, members);
      for (const member of members)
        this.servicesOfPod.set(member, [...(this.servicesOfPod.get(member) ?? []), service]);
    }
    this.virtualServices = store.list('networking.istio.io/virtualservices');
    this.destinationRules = store.list('networking.istio.io/destinationrules');
    this.peerAuthentications = store.list('security.istio.io/peerauthentications');
    this.authorizationPolicies = store.list('security.istio.io/authorizationpolicies');
  }

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
    const key = `${fqdn}|${callerNamespace}|${gateway}`;
    if (this.virtualServiceByHost.has(key)) return this.virtualServiceByHost.get(key);
    const candidates = this.virtualServices.filter((object) => {
      const spec = record(object.spec);
      const gateways = strings(spec.gateways);
      const applies =
        gateways.length === 0
          ? gateway === 'mesh'
          : gateways.some((name) => name === gateway || name.endsWith(`/${gateway}`));
      if (!applies) return false;
      const namespace = object.metadata.namespace ?? '';
      if (!visibleFrom(spec.exportTo, namespace, callerNamespace)) return false;
      return strings(spec.hosts).some((host) => hostMatches(fullyQualified(host, namespace), fqdn));
    });
    candidates.sort(
      (a, b) => preference(a, callerNamespace) - preference(b, callerNamespace) || compareAge(a, b),
    );
    const chosen = candidates[0];
    this.virtualServiceByHost.set(key, chosen);
    return chosen;
  }

  /** The DestinationRule for `host` as seen from `callerNamespace` (caller's namespace, then the host's, then root). */
  destinationRuleFor(fqdn: string, callerNamespace: string): KubeObject | undefined {
    const key = `${fqdn}|${callerNamespace}`;
    if (this.destinationRuleByHost.has(key)) return this.destinationRuleByHost.get(key);
    const serviceNamespace = this.services.get(fqdn)?.namespace ?? '';
    const candidates = this.destinationRules.filter((object) => {
      const spec = record(object.spec);
      const namespace = object.metadata.namespace ?? '';
      if (!visibleFrom(spec.exportTo, namespace, callerNamespace)) return false;
      return typeof spec.host === 'string' && hostMatches(fullyQualified(spec.host, namespace), fqdn);
    });
    const rank = (object: KubeObject) => {
      const namespace = object.metadata.namespace ?? '';
      if (namespace === callerNamespace) return 0;
      if (namespace === serviceNamespace) return 1;
      if (namespace === rootNamespace) return 2;
      return 3;
    };
    candidates.sort((a, b) => rank(a) - rank(b) || compareAge(a, b));
    const chosen = candidates[0];
    this.destinationRuleByHost.set(key, chosen);
    return chosen;
  }
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
