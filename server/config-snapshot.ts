import 'server-only';
import { parse as parseYaml } from 'yaml';
import type { ApiWarning } from '@/lib/types/api';
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
} from '@/lib/types/mesh-config';
import { meshSettings } from '@/lib/validation/from-manifests';
import { CACHE_KINDS, ISTIO_NAMESPACE, KIND_SPECS } from './cache/kinds';
import type {
  CachedConfigMap,
  CachedDeployment,
  CachedIstioObject,
  CachedMetadata,
  CachedNamespace,
  CachedNode,
  CachedPod,
  CachedReplicaSet,
  CachedSecret,
  CachedService,
  CachedServiceAccount,
} from './cache/projections';
import { getResourceCaches, type ResourceCaches } from './cache/resource-caches';
import type { CacheStatus } from './cache/types';
import { getConfig } from './config';

/**
 * The configuration snapshot (lib/types/mesh-config.ts) built from the caches: services,
 * workloads derived from Deployments and their pods (bare pods and other owners too), pods, Istio
 * objects with their spec as stored, and the mesh's root namespace. Building is pure
 * (`buildConfigSnapshot`); `getConfigSnapshot` reads the process's caches.
 */

/** The caches' contents a snapshot is built from. */
export interface SnapshotInput {
  namespaces: readonly CachedNamespace[];
  services: readonly CachedService[];
  pods: readonly CachedPod[];
  deployments: readonly CachedDeployment[];
  replicasets: readonly CachedReplicaSet[];
  configmaps: readonly CachedConfigMap[];
  istio: readonly CachedIstioObject[];
  /** whether the namespaces cache holds data (it may be forbidden) */
  namespacesKnown: boolean;
  asOf: string;
  /** Secrets by name (validation only); unset when not read, so their checks are skipped */
  secrets?: readonly CachedSecret[];
  /** validation only; unset when not read */
  serviceAccounts?: readonly CachedServiceAccount[];
  /** validation only; unset when not read */
  nodes?: readonly CachedNode[];
}

export interface SnapshotResult {
  snapshot: ConfigSnapshot;
  warnings: ApiWarning[];
}

/** A stat name with an outlier-detection counter, as Envoy names it, to test stats matchers with. */
const OUTLIER_STAT =
  'cluster.outbound|9080|v1|reviews.default.svc.cluster.local.outlier_detection.ejections_active';

/** Labels that controllers add to pods and that say nothing about the workload. */
const CONTROLLER_LABELS = [
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
];

const SIDECAR_CONTAINER = 'istio-proxy';

type Raw = Record<string, unknown>;

function record(value: unknown): Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function parseLenient(text: string | undefined): Raw {
  if (!text) return {};
  try {
    return record(parseYaml(text));
  } catch {
    return {};
  }
}

/** Parsed `proxy.istio.io/config` annotations: pods of one workload share the same text. */
const outlierStatsByAnnotation = new Map<string, boolean>();

function annotationAsksForOutlierStats(annotations: Record<string, string>): boolean {
  const text = annotations['proxy.istio.io/config'];
  if (!text) return false;
  let asks = outlierStatsByAnnotation.get(text);
  if (asks === undefined) {
    asks = statsMatcherIncludesOutlier(parseLenient(text));
    if (outlierStatsByAnnotation.size >= 1_000) outlierStatsByAnnotation.clear();
    outlierStatsByAnnotation.set(text, asks);
  }
  return asks;
}

/**
 * Whether a ProxyConfig's `proxyStatsMatcher` includes Envoy's outlier-detection stats: inclusion
 * regexps match the whole name (as Envoy's safe_regex does), prefixes and suffixes its ends.
 */
export function statsMatcherIncludesOutlier(proxyConfig: Raw): boolean {
  const matcher = record(proxyConfig.proxyStatsMatcher);
  const regexps = strings(matcher.inclusionRegexps).some((pattern) => {
    try {
      return new RegExp(`^(?:${pattern})$`).test(OUTLIER_STAT);
    } catch {
      return false;
    }
  });
  return (
    regexps ||
    strings(matcher.inclusionPrefixes).some((prefix) => OUTLIER_STAT.startsWith(prefix)) ||
    strings(matcher.inclusionSuffixes).some((suffix) => OUTLIER_STAT.endsWith(suffix))
  );
}

export function hasSidecar(pod: CachedPod): boolean {
  return (
    pod.spec.containers.some((container) => container.name === SIDECAR_CONTAINER) ||
    // Istio's native sidecar mode puts istio-proxy among the init containers, restarting always.
    pod.spec.initContainers.some(
      (container) => container.name === SIDECAR_CONTAINER && container.restartPolicy === 'Always',
    )
  );
}

function withoutControllerLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([key]) => !CONTROLLER_LABELS.includes(key)));
}

function appOf(labels: Record<string, string>, name: string): string {
  return labels.app ?? labels['app.kubernetes.io/name'] ?? name;
}

function versionOf(labels: Record<string, string>): string {
  return labels.version ?? labels['app.kubernetes.io/version'] ?? '';
}

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

function controllerOf(owners: CachedPod['metadata']['ownerReferences']) {
  return owners.find((owner) => owner.controller) ?? owners[0];
}

interface WorkloadRef {
  kind: WorkloadInfo['kind'];
  name: string;
}

/** The workload a pod belongs to: Deployment through its ReplicaSet, other controllers, or itself. */
function workloadOfPod(
  pod: CachedPod,
  replicaSets: Map<string, CachedReplicaSet>,
  deployments: Map<string, CachedDeployment>,
): WorkloadRef {
  const namespace = pod.metadata.namespace ?? '';
  const owner = controllerOf(pod.metadata.ownerReferences);
  if (!owner) return { kind: 'Pod', name: pod.metadata.name };
  if (owner.kind === 'ReplicaSet') {
    const replicaSet = replicaSets.get(keyOf(namespace, owner.name));
    const rsOwner = replicaSet ? controllerOf(replicaSet.metadata.ownerReferences) : undefined;
    if (rsOwner?.kind === 'Deployment') return { kind: 'Deployment', name: rsOwner.name };
    // The ReplicaSet is not cached (yet): a Deployment's ReplicaSet is named DEPLOYMENT-HASH.
    const hash = pod.metadata.labels['pod-template-hash'];
    if (!replicaSet && hash && owner.name.endsWith(`-${hash}`)) {
      const candidate = owner.name.slice(0, -hash.length - 1);
      if (deployments.has(keyOf(namespace, candidate))) return { kind: 'Deployment', name: candidate };
    }
    // A bare ReplicaSet, or one of a controller the snapshot has no kind for (Argo Rollouts).
    return { kind: 'ReplicaSet', name: owner.name };
  }
  if (owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet' || owner.kind === 'Job') {
    return { kind: owner.kind, name: owner.name };
  }
  // Owners the snapshot has no kind for (custom controllers): each pod stands for itself.
  return { kind: 'Pod', name: pod.metadata.name };
}

function toPodInfo(pod: CachedPod, workload: string): PodInfo {
  return {
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(pod.spec.hostNetwork ? { hostNetwork: true } : {}),
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name,
    labels: pod.metadata.labels,
    annotations: pod.metadata.annotations,
    serviceAccount: pod.spec.serviceAccountName,
    phase: pod.status.phase,
    podIP: pod.status.podIP ?? '',
    containers: pod.spec.containers.map((container) => container.name),
    sidecar: hasSidecar(pod),
    workload,
  };
}

interface WorkloadGroup {
  namespace: string;
  ref: WorkloadRef;
  deployment?: CachedDeployment;
  pods: CachedPod[];
}

function toWorkloadInfo(group: WorkloadGroup, meshOutlierStats: boolean): WorkloadInfo {
  const { deployment, pods } = group;
  const running = pods.filter((pod) => pod.status.phase === 'Running');
  const live = pods.filter((pod) => pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed');
  // Judge the sidecar and stats by running pods; with none, by any pod; with no pods, by the template.
  const judged = running.length > 0 ? running : pods;
  const labels = deployment
    ? Object.keys(deployment.spec.template.labels).length > 0
      ? deployment.spec.template.labels
      : deployment.metadata.labels
    : withoutControllerLabels(pods[0]?.metadata.labels ?? {});
  const outlierStats =
    meshOutlierStats ||
    (judged.length > 0
      ? judged.every((pod) => annotationAsksForOutlierStats(pod.metadata.annotations))
      : deployment !== undefined && annotationAsksForOutlierStats(deployment.spec.template.annotations));
  return {
    namespace: group.namespace,
    name: group.ref.name,
    kind: group.ref.kind,
    app: appOf(labels, group.ref.name),
    version: versionOf(labels),
    labels,
    serviceAccount:
      deployment?.spec.template.serviceAccountName ?? pods[0]?.spec.serviceAccountName ?? 'default',
    desiredReplicas: deployment ? deployment.spec.replicas : live.length,
    readyReplicas: deployment
      ? deployment.status.readyReplicas
      : live.filter((pod) => pod.status.ready).length,
    pods: running.length,
    sidecar: judged.length > 0 && judged.every(hasSidecar),
    outlierStatsEnabled: outlierStats,
  };
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

function toServiceInfo(service: CachedService, podsByNamespace: Map<string, CachedPod[]>): ServiceInfo {
  const namespace = service.metadata.namespace ?? '';
  /** A named targetPort is the container port of that name in a selected pod. */
  const resolve = (target: number | string, port: number): number => {
    if (typeof target === 'number') return target;
    const numeric = Number(target);
    if (Number.isInteger(numeric) && numeric > 0) return numeric;
    for (const pod of podsByNamespace.get(namespace) ?? []) {
      if (!selects(service.spec.selector, pod.metadata.labels)) continue;
      for (const container of pod.spec.containers) {
        const found = container.ports.find((entry) => entry.name === target);
        if (found) return found.containerPort;
      }
    }
    return port;
  };
  return {
    namespace,
    name: service.metadata.name,
    fqdn: `${service.metadata.name}.${namespace}.svc.cluster.local`,
    selector: service.spec.selector,
    ports: service.spec.ports.map((port) => ({
      name: port.name,
      port: port.port,
      targetPort: resolve(port.targetPort, port.port),
      protocol: port.protocol,
      ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}),
    })),
    labels: service.metadata.labels,
    annotations: service.metadata.annotations,
    type: service.spec.type,
  };
}

export function toIstioObject(object: CachedIstioObject): IstioObject {
  return {
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    kind: object.kind as IstioKind,
    apiVersion: object.apiVersion,
    resourceVersion: object.metadata.resourceVersion,
    labels: object.metadata.labels,
    annotations: object.metadata.annotations,
    spec: object.spec,
    ...(object.status ? { status: object.status } : {}),
  };
}

/** Istio's mesh configuration: the `istio` ConfigMap's, else a revision's (`istio-REV`). */
function meshConfigOf(configMaps: readonly CachedConfigMap[]): Raw {
  const withMesh = configMaps.filter((configMap) => configMap.data.mesh !== undefined);
  const chosen =
    withMesh.find((configMap) => configMap.metadata.name === 'istio') ??
    [...withMesh].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
  return parseLenient(chosen?.data.mesh);
}

const byRef = <T extends { namespace: string; name: string }>(a: T, b: T) =>
  a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

/** The mesh settings validation reads: the MeshConfig's, and the injector's namespace default. */
function meshSettingsOf(meshConfig: Raw, configMaps: readonly CachedConfigMap[]): MeshSettings {
  const settings = meshSettings(meshConfig);
  const injector = configMaps.find((configMap) => configMap.injectNamespacesByDefault !== undefined);
  if (injector?.injectNamespacesByDefault !== undefined)
    settings.injectNamespacesByDefault = injector.injectNamespacesByDefault;
  return settings;
}

function refsOf(
  objects: readonly { metadata: CachedMetadata }[],
  inScope: (namespace: string | undefined) => boolean,
): ObjectRef[] {
  return objects
    .filter((object) => inScope(object.metadata.namespace))
    .map((object) => ({ namespace: object.metadata.namespace ?? '', name: object.metadata.name }))
    .sort(byRef);
}

function toNodeInfo(node: CachedNode): NodeInfo {
  return { name: node.metadata.name, labels: node.metadata.labels };
}

/**
 * The snapshot of the given namespaces (all when empty or unset). Istio objects of the mesh's
 * root namespace are always included: mesh-wide policies live there and apply everywhere.
 */
export function buildConfigSnapshot(input: SnapshotInput, namespaces?: readonly string[]): ConfigSnapshot {
  const wanted = namespaces && namespaces.length > 0 ? new Set(namespaces) : undefined;
  const inScope = (namespace: string | undefined) => wanted === undefined || wanted.has(namespace ?? '');
  const meshConfig = meshConfigOf(input.configmaps);
  const rootNamespace =
    typeof meshConfig.rootNamespace === 'string' ? meshConfig.rootNamespace : ISTIO_NAMESPACE;
  const meshOutlierStats = statsMatcherIncludesOutlier(record(meshConfig.defaultConfig));

  const replicaSets = new Map(
    input.replicasets.map((rs) => [keyOf(rs.metadata.namespace ?? '', rs.metadata.name), rs]),
  );
  const deployments = new Map(
    input.deployments.map((deployment) => [
      keyOf(deployment.metadata.namespace ?? '', deployment.metadata.name),
      deployment,
    ]),
  );

  const groups = new Map<string, WorkloadGroup>();
  for (const deployment of input.deployments) {
    const namespace = deployment.metadata.namespace ?? '';
    if (!inScope(namespace)) continue;
    groups.set(`Deployment/${keyOf(namespace, deployment.metadata.name)}`, {
      namespace,
      ref: { kind: 'Deployment', name: deployment.metadata.name },
      deployment,
      pods: [],
    });
  }
  const pods: PodInfo[] = [];
  const podsByNamespace = new Map<string, CachedPod[]>();
  for (const pod of input.pods) {
    const namespace = pod.metadata.namespace ?? '';
    if (!inScope(namespace)) continue;
    const inNamespace = podsByNamespace.get(namespace) ?? [];
    inNamespace.push(pod);
    podsByNamespace.set(namespace, inNamespace);
    const ref = workloadOfPod(pod, replicaSets, deployments);
    const key = `${ref.kind}/${keyOf(namespace, ref.name)}`;
    const group = groups.get(key) ?? { namespace, ref, pods: [] };
    group.pods.push(pod);
    groups.set(key, group);
    pods.push(toPodInfo(pod, ref.name));
  }

  const namespaceInfos: NamespaceInfo[] = input.namespacesKnown
    ? input.namespaces
        .filter((namespace) => inScope(namespace.metadata.name))
        .map((namespace) => ({
          name: namespace.metadata.name,
          labels: namespace.metadata.labels,
          ...(Object.keys(namespace.metadata.annotations).length > 0
            ? { annotations: namespace.metadata.annotations }
            : {}),
        }))
    : [...(wanted ?? [])].map((name) => ({ name, labels: {} }));

  return {
    namespaces: namespaceInfos.sort((a, b) => a.name.localeCompare(b.name)),
    services: input.services
      .filter((service) => inScope(service.metadata.namespace))
      .map((service) => toServiceInfo(service, podsByNamespace))
      .sort(byRef),
    workloads: [...groups.values()].map((group) => toWorkloadInfo(group, meshOutlierStats)).sort(byRef),
    pods: pods.sort(byRef),
    rootNamespace,
    istio: input.istio
      .filter((object) => inScope(object.metadata.namespace) || object.metadata.namespace === rootNamespace)
      .map(toIstioObject)
      .sort((a, b) => a.kind.localeCompare(b.kind) || byRef(a, b)),
    asOf: input.asOf,
    mesh: meshSettingsOf(meshConfig, input.configmaps),
    ...(input.secrets ? { secrets: refsOf(input.secrets, inScope) } : {}),
    ...(input.serviceAccounts ? { serviceAccounts: refsOf(input.serviceAccounts, inScope) } : {}),
    ...(input.nodes ? { nodes: input.nodes.map(toNodeInfo) } : {}),
  };
}

/** The time the data is current as of: now, or when the oldest stale cache lost its watch. */
export function dataAsOf(statuses: readonly CacheStatus[], now = Date.now()): string {
  const since = statuses
    .filter((status) => status.stale && status.staleSince)
    .map((status) => Date.parse(status.staleSince ?? ''));
  return new Date(Math.min(now, ...since)).toISOString();
}

const ISTIO_CACHES = CACHE_KINDS.filter((kind) => KIND_SPECS[kind].istio);

/** The kinds only validation reads (their caches start on first use). */
export const VALIDATION_KINDS = ['secrets', 'serviceaccounts', 'nodes'] as const;

export type ValidationKind = (typeof VALIDATION_KINDS)[number];

/**
 * The validation kinds to read: Secrets only when TLS credential checks were asked for, so that by
 * default the dashboard never lists a Secret, not even its name.
 */
export function validationKinds(options: { secrets: boolean }): ValidationKind[] {
  return VALIDATION_KINDS.filter((kind) => kind !== 'secrets' || options.secrets);
}

/** A cache's objects when it holds a complete list (synced once, maybe stale since); else undefined. */
function knownList<K extends (typeof VALIDATION_KINDS)[number]>(caches: ResourceCaches, kind: K) {
  const cache = caches.cache(kind);
  const status = cache.status();
  return status.syncedAt !== undefined && status.state !== 'not-installed' ? cache.list() : undefined;
}

export function snapshotInput(
  caches: ResourceCaches,
  options: { validation?: boolean; secrets?: boolean } = {},
): SnapshotInput {
  const statuses = caches.statuses();
  const namespacesState = caches.cache('namespaces').status();
  const secrets = options.validation && options.secrets ? knownList(caches, 'secrets') : undefined;
  const serviceAccounts = options.validation ? knownList(caches, 'serviceaccounts') : undefined;
  const nodes = options.validation ? knownList(caches, 'nodes') : undefined;
  return {
    ...(secrets ? { secrets } : {}),
    ...(serviceAccounts ? { serviceAccounts } : {}),
    ...(nodes ? { nodes } : {}),
    namespaces: caches.cache('namespaces').list(),
    services: caches.cache('services').list(),
    pods: caches.cache('pods').list(),
    deployments: caches.cache('deployments').list(),
    replicasets: caches.cache('replicasets').list(),
    configmaps: caches.cache('configmaps').list(),
    istio: ISTIO_CACHES.flatMap((kind) => caches.cache(kind).list() as readonly CachedIstioObject[]),
    namespacesKnown: namespacesState.syncedAt !== undefined && namespacesState.state !== 'forbidden',
    asOf: dataAsOf(statuses),
  };
}

export interface SnapshotOptions {
  /** the caches to read; default the process's */
  caches?: ResourceCaches;
  /** longest wait for caches that are still loading, in milliseconds */
  timeoutMs?: number;
  /**
   * also read what only validation needs (ServiceAccounts, Nodes), starting those caches on first
   * use; a kind the identity may not list stays unset and its checks are skipped
   */
  validation?: boolean;
  /** with `validation`, Secret names too (default: the MESHSCOPE_VALIDATE_TLS_CREDENTIALS setting) */
  secrets?: boolean;
}

/**
 * The configuration of `namespaces` (all when unset) from the caches, with warnings for caches
 * that are stale, forbidden, not installed or still loading. Throws an AppError only when the
 * cluster cannot be configured at all (no kubeconfig).
 */
export async function getConfigSnapshot(
  namespaces?: string[],
  options: SnapshotOptions = {},
): Promise<SnapshotResult> {
  const caches = options.caches ?? getResourceCaches();
  const secrets = options.secrets ?? getConfig().validateTlsCredentials;
  if (options.validation) for (const kind of validationKinds({ secrets })) caches.start().cache(kind);
  const { warnings } = await caches.ready(options.timeoutMs);
  const input = snapshotInput(caches, { validation: options.validation === true, secrets });
  return { snapshot: buildConfigSnapshot(input, namespaces), warnings };
}

/** Snapshots kept for reuse, per cache set, by what they were built from. */
const shared = new WeakMap<ResourceCaches, Map<string, ConfigSnapshot>>();
/** Namespace selections kept per cache set (the graph's and a few others'). */
const sharedPerCaches = 8;

/** What a snapshot of these caches depends on: every cache's changes and state, and the options. */
function snapshotSignature(
  caches: ResourceCaches,
  namespaces: readonly string[] | undefined,
  options: { validation: boolean; secrets: boolean },
): string {
  const states = caches
    .statuses()
    .map(
      (status) =>
        `${status.resource}:${status.state}:${status.syncedAt === undefined ? '' : '+'}:${status.staleSince ?? ''}`,
    )
    .join(',');
  const scope = namespaces && namespaces.length > 0 ? [...new Set(namespaces)].sort().join(',') : '*';
  return `${caches.changeCount()}|${states}|${options.validation}|${options.secrets}|${scope}`;
}

/**
 * `getConfigSnapshot` for readers that never change the snapshot (the graph): while no cache has
 * changed since the last call for the same namespaces, the same snapshot comes back, with a fresh
 * `asOf`. At 1,000 services building one takes ~12 ms of every graph refresh; a mesh whose
 * configuration did not change between two refreshes does not pay it twice.
 */
export async function getSharedConfigSnapshot(
  namespaces?: string[],
  options: SnapshotOptions = {},
): Promise<SnapshotResult> {
  const caches = options.caches ?? getResourceCaches();
  const secrets = options.secrets ?? getConfig().validateTlsCredentials;
  const validation = options.validation === true;
  if (validation) for (const kind of validationKinds({ secrets })) caches.start().cache(kind);
  const { warnings } = await caches.ready(options.timeoutMs);
  const signature = snapshotSignature(caches, namespaces, { validation, secrets });
  let kept = shared.get(caches);
  if (!kept) {
    kept = new Map();
    shared.set(caches, kept);
  }
  const asOf = dataAsOf(caches.statuses());
  const found = kept.get(signature);
  if (found) return { snapshot: found.asOf === asOf ? found : { ...found, asOf }, warnings };
  const snapshot = buildConfigSnapshot(snapshotInput(caches, { validation, secrets }), namespaces);
  // Entries of older cache states are never asked for again: keep the newest few.
  kept.set(signature, snapshot);
  for (const key of kept.keys()) {
    if (kept.size <= sharedPerCaches) break;
    kept.delete(key);
  }
  return { snapshot, warnings };
}
