import type {
  ConfigSnapshot,
  IstioKind,
  IstioObject,
  MeshSettings,
  NamespaceInfo,
  NodeInfo,
  ObjectRef,
  PodInfo,
  ServiceInfo,
  WorkloadInfo,
} from '../types/mesh-config';
import { toFqdn } from './hosts';
import { at, integer, type Json, labelMap, list, record, records, text, texts } from './spec';

const ISTIO_KINDS: ReadonlySet<string> = new Set<IstioKind>([
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'ServiceEntry',
  'Sidecar',
  'EnvoyFilter',
  'WorkloadEntry',
  'PeerAuthentication',
  'RequestAuthentication',
  'AuthorizationPolicy',
  'Telemetry',
]);

const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
]);

export interface ManifestOptions {
  /** a parsed MeshConfig (the `mesh` key of the `istio` ConfigMap, or a mesh config file) */
  meshConfig?: unknown;
  /** used when the mesh config does not set `rootNamespace`; `istio-system` by default */
  rootNamespace?: string;
  /** ISO time for `asOf`; the epoch by default, so that the conversion stays pure */
  asOf?: string;
}

/** MeshConfig fields the checks read (`istio.io/api/mesh/v1alpha1`). */
export function meshSettings(meshConfig: unknown): MeshSettings {
  const mesh = record(meshConfig) ?? {};
  const metadata = labelMap(at(mesh, 'defaultConfig', 'proxyMetadata'));
  const settings: MeshSettings = {};
  if (typeof mesh.enableAutoMtls === 'boolean') settings.enableAutoMtls = mesh.enableAutoMtls;
  const mode = text(at(mesh, 'outboundTrafficPolicy', 'mode'));
  if (mode === 'ALLOW_ANY' || mode === 'REGISTRY_ONLY') settings.outboundTrafficPolicyMode = mode;
  if (text(mesh.trustDomain)) settings.trustDomain = text(mesh.trustDomain);
  if (texts(mesh.trustDomainAliases).length > 0) settings.trustDomainAliases = texts(mesh.trustDomainAliases);
  if (metadata.ISTIO_META_DNS_CAPTURE === 'true') {
    settings.serviceEntryAddressAutoAllocation =
      metadata.ISTIO_META_DNS_AUTO_ALLOCATE === 'true' || metadata.PILOT_ENABLE_IP_AUTOALLOCATE === 'true';
  }
  return settings;
}

/** `sidecarInjectorWebhook.enableNamespacesByDefault` from an injector ConfigMap's `values` (JSON). */
function injectsByDefault(configMap: Json): boolean | undefined {
  const values = text(at(configMap, 'data', 'values'));
  if (!values) return undefined;
  try {
    const parsed: unknown = JSON.parse(values);
    const enabled = at(parsed, 'sidecarInjectorWebhook', 'enableNamespacesByDefault');
    return typeof enabled === 'boolean' ? enabled : undefined;
  } catch {
    return undefined;
  }
}

function metadataOf(object: Json): {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const metadata = record(object.metadata) ?? {};
  return {
    name: text(metadata.name) ?? '',
    namespace: text(metadata.namespace) ?? '',
    labels: labelMap(metadata.labels),
    annotations: labelMap(metadata.annotations),
  };
}

function containersHaveProxy(spec: Json): boolean {
  return [...records(spec.containers), ...records(spec.initContainers)].some(
    (container) => text(container.name) === 'istio-proxy' && !!text(container.image),
  );
}

/** Flattens `kind: List` documents. */
function flatten(objects: readonly unknown[]): Json[] {
  const result: Json[] = [];
  for (const object of objects) {
    const json = record(object);
    if (!json) continue;
    if (text(json.kind) === 'List') result.push(...flatten(list(json.items)));
    else result.push(json);
  }
  return result;
}

/**
 * Builds a configuration snapshot from Kubernetes manifests already parsed from YAML or JSON
 * (Namespaces, Services, Pods, workloads, Secrets and ServiceAccounts by name, Nodes, the sidecar
 * injector ConfigMap and Istio resources; other kinds are ignored). Objects without a namespace
 * keep an empty one, as `istioctl analyze` does with files.
 */
export function fromManifests(objects: readonly unknown[], options: ManifestOptions = {}): ConfigSnapshot {
  const mesh = record(options.meshConfig);
  const snapshot: ConfigSnapshot = {
    namespaces: [],
    services: [],
    workloads: [],
    pods: [],
    rootNamespace: text(mesh?.rootNamespace) ?? options.rootNamespace ?? 'istio-system',
    istio: [],
    asOf: options.asOf ?? new Date(0).toISOString(),
    mesh: meshSettings(mesh),
    secrets: [],
    serviceAccounts: [],
    kubernetesGateways: [],
  };
  const nodes: NodeInfo[] = [];
  for (const object of flatten(objects)) {
    const kind = text(object.kind) ?? '';
    const meta = metadataOf(object);
    const spec = record(object.spec) ?? {};
    const group = (text(object.apiVersion) ?? '').split('/')[0] ?? '';
    if (ISTIO_KINDS.has(kind) && group.endsWith('istio.io')) {
      const istio: IstioObject = {
        kind: kind as IstioKind,
        apiVersion: text(object.apiVersion) ?? '',
        namespace: meta.namespace,
        name: meta.name,
        resourceVersion: text(at(object, 'metadata', 'resourceVersion')) ?? '',
        labels: meta.labels,
        annotations: meta.annotations,
        spec,
      };
      const status = record(object.status);
      if (status) istio.status = status;
      snapshot.istio.push(istio);
      continue;
    }
    const ref: ObjectRef = { namespace: meta.namespace, name: meta.name };
    switch (kind) {
      case 'Namespace': {
        const namespace: NamespaceInfo = {
          name: meta.name,
          labels: meta.labels,
          annotations: meta.annotations,
        };
        snapshot.namespaces.push(namespace);
        break;
      }
      case 'Service':
        snapshot.services.push(serviceOf(meta, spec));
        break;
      case 'Pod':
        snapshot.pods.push(podOf(meta, spec, record(object.status) ?? {}));
        break;
      case 'Secret':
        snapshot.secrets?.push(ref);
        break;
      case 'ServiceAccount':
        snapshot.serviceAccounts?.push(ref);
        break;
      case 'Node':
        nodes.push({ name: meta.name, labels: meta.labels });
        break;
      case 'ConfigMap':
        if (meta.name.startsWith('istio-sidecar-injector')) {
          const byDefault = injectsByDefault(object);
          if (byDefault !== undefined && snapshot.mesh) snapshot.mesh.injectNamespacesByDefault = byDefault;
        }
        break;
      default:
        if (kind === 'Gateway' && group === 'gateway.networking.k8s.io') {
          const hostnames = records(spec.listeners).map((listener) => text(listener.hostname) || '*');
          snapshot.kubernetesGateways?.push({ ...ref, hostnames });
        } else if (WORKLOAD_KINDS.has(kind)) {
          snapshot.workloads.push(workloadOf(kind as WorkloadInfo['kind'], meta, spec));
        }
    }
  }
  if (nodes.length > 0) snapshot.nodes = nodes;
  return snapshot;
}

function serviceOf(meta: ReturnType<typeof metadataOf>, spec: Json): ServiceInfo {
  return {
    namespace: meta.namespace,
    name: meta.name,
    fqdn: toFqdn(meta.name, meta.namespace),
    selector: labelMap(spec.selector),
    ports: records(spec.ports).map((port) => {
      const number = integer(port.port) ?? 0;
      const appProtocol = text(port.appProtocol);
      return {
        name: text(port.name) ?? '',
        port: number,
        targetPort: integer(port.targetPort) ?? number,
        protocol: text(port.protocol) ?? 'TCP',
        ...(appProtocol !== undefined ? { appProtocol } : {}),
      };
    }),
    labels: meta.labels,
    annotations: meta.annotations,
    type: text(spec.type) ?? 'ClusterIP',
  };
}

function podOf(meta: ReturnType<typeof metadataOf>, spec: Json, status: Json): PodInfo {
  const pod: PodInfo = {
    namespace: meta.namespace,
    name: meta.name,
    labels: meta.labels,
    annotations: meta.annotations,
    serviceAccount: text(spec.serviceAccountName) ?? 'default',
    phase: text(status.phase) ?? 'Running',
    podIP: text(status.podIP) ?? '',
    containers: records(spec.containers).map((container) => text(container.name) ?? ''),
    sidecar: containersHaveProxy(spec),
    workload: meta.name,
  };
  if (spec.hostNetwork === true) pod.hostNetwork = true;
  if (text(spec.nodeName)) pod.nodeName = text(spec.nodeName);
  return pod;
}

function workloadOf(
  kind: WorkloadInfo['kind'],
  meta: ReturnType<typeof metadataOf>,
  spec: Json,
): WorkloadInfo {
  const template = record(spec.template) ?? {};
  const labels = labelMap(at(template, 'metadata', 'labels'));
  const podSpec = record(template.spec) ?? {};
  const replicas = integer(spec.replicas) ?? 1;
  return {
    kind,
    namespace: meta.namespace,
    name: meta.name,
    app: labels.app ?? labels['app.kubernetes.io/name'] ?? meta.name,
    version: labels.version ?? '',
    labels,
    serviceAccount: text(podSpec.serviceAccountName) ?? 'default',
    desiredReplicas: replicas,
    readyReplicas: 0,
    pods: 0,
    sidecar: containersHaveProxy(podSpec),
    outlierStatsEnabled: false,
  };
}
