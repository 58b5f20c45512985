import 'server-only';

/**
 * What the caches keep of each object: the fields the dashboard reads, nothing else. Lists come
 * from client-node's typed APIs (class instances, `Date` timestamps) and watch events as plain
 * JSON, so every projection reads both shapes and returns plain data. `managedFields` and
 * `kubectl.kubernetes.io/last-applied-configuration` (often the largest parts of an object) are
 * never kept.
 */

export interface CachedOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

/** Enough metadata for client-node's ListWatch (name, namespace, resourceVersion) and for us. */
export interface CachedMetadata {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: CachedOwnerReference[];
}

export interface CachedNamespace {
  metadata: CachedMetadata;
  status: { phase: string };
}

export interface CachedServicePort {
  name: string;
  port: number;
  /** a number, or the name of a container port */
  targetPort: number | string;
  protocol: string;
  appProtocol?: string;
}

export interface CachedService {
  metadata: CachedMetadata;
  spec: {
    type: string;
    clusterIP: string;
    selector: Record<string, string>;
    ports: CachedServicePort[];
  };
}

export interface CachedContainerPort {
  name?: string;
  containerPort: number;
  protocol: string;
}

export interface CachedPod {
  metadata: CachedMetadata;
  spec: {
    serviceAccountName: string;
    nodeName?: string;
    /** `hostNetwork: true` (such pods are never injected) */
    hostNetwork?: boolean;
    containers: { name: string; ports: CachedContainerPort[] }[];
    /** `restartPolicy: Always` marks a native sidecar (Istio's istio-proxy with native sidecars on) */
    initContainers: { name: string; restartPolicy?: string }[];
  };
  status: {
    phase: string;
    podIP?: string;
    /** the pod's `Ready` condition is True */
    ready: boolean;
  };
}

export interface CachedDeployment {
  metadata: CachedMetadata;
  spec: {
    /** unset in the object means 1 */
    replicas: number;
    selector: Record<string, string>;
    template: {
      labels: Record<string, string>;
      annotations: Record<string, string>;
      serviceAccountName: string;
    };
  };
  status: { replicas: number; readyReplicas: number; availableReplicas: number; updatedReplicas: number };
}

export interface CachedReplicaSet {
  metadata: CachedMetadata;
  spec: { replicas: number };
  status: { replicas: number; readyReplicas: number };
}

export interface CachedIstioObject {
  apiVersion: string;
  kind: string;
  metadata: CachedMetadata & { generation: number };
  spec: Record<string, unknown>;
  /** istiod's `validationMessages` and a ServiceEntry's allocated `addresses`, when set */
  status?: { validationMessages?: unknown[]; addresses?: unknown[] };
}

/** A Secret by name and type only: its data and annotations are never kept (nor asked for by validation). */
export interface CachedSecret {
  metadata: CachedMetadata;
  type: string;
}

export interface CachedServiceAccount {
  metadata: CachedMetadata;
}

/** A Node's name and labels (topology labels of endpoints). */
export interface CachedNode {
  metadata: CachedMetadata;
}

export interface CachedCrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  /** `schema.openAPIV3Schema`; kept for Istio's groups only */
  schema?: Record<string, unknown>;
}

/** A CustomResourceDefinition: names and served versions, with the schemas of Istio's kinds. */
export interface CachedCrd {
  metadata: CachedMetadata;
  spec: { group: string; kind: string; plural: string; scope: string; versions: CachedCrdVersion[] };
}

/**
 * A ConfigMap of the Istio namespace: only Istio's mesh configuration is kept, as its YAML text,
 * and of the sidecar injector's values the one setting validation reads.
 */
export interface CachedConfigMap {
  metadata: CachedMetadata;
  data: { mesh?: string };
  /** `sidecarInjectorWebhook.enableNamespacesByDefault` of an `istio-sidecar-injector*` ConfigMap */
  injectNamespacesByDefault?: boolean;
}

/** Pod annotations the dashboard reads; the rest (often large) are dropped. */
export const KEPT_POD_ANNOTATIONS = [
  'sidecar.istio.io/status',
  'sidecar.istio.io/inject',
  'proxy.istio.io/config',
  'istio.io/rev',
] as const;

const DROPPED_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

type Raw = Record<string, unknown>;

function record(value: unknown): Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};
}

function records(value: unknown): Raw[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function count(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function stringMap(value: unknown, keep?: (key: string) => boolean): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(record(value))) {
    if (typeof entry === 'string' && (keep === undefined || keep(key))) result[key] = entry;
  }
  return result;
}

function ownerReferences(value: unknown): CachedOwnerReference[] {
  return records(value).map((owner) => ({
    apiVersion: text(owner.apiVersion),
    kind: text(owner.kind),
    name: text(owner.name),
    uid: text(owner.uid),
    ...(owner.controller === true ? { controller: true } : {}),
  }));
}

function metadataOf(object: unknown, keepAnnotation?: (key: string) => boolean): CachedMetadata {
  const metadata = record(record(object).metadata);
  const namespace = text(metadata.namespace);
  return {
    name: text(metadata.name),
    ...(namespace ? { namespace } : {}),
    uid: text(metadata.uid),
    resourceVersion: text(metadata.resourceVersion),
    labels: stringMap(metadata.labels),
    annotations: stringMap(
      metadata.annotations,
      keepAnnotation ?? ((key) => !DROPPED_ANNOTATIONS.includes(key)),
    ),
    ownerReferences: ownerReferences(metadata.ownerReferences),
  };
}

const keptPodAnnotation = (key: string) => (KEPT_POD_ANNOTATIONS as readonly string[]).includes(key);

/** Annotations validation reads on Namespaces and Services (exportTo, Istio's per-object suppression). */
const VALIDATION_ANNOTATIONS = ['networking.istio.io/exportTo', 'galley.istio.io/analyze-suppress'];
const keptValidationAnnotation = (key: string) => VALIDATION_ANNOTATIONS.includes(key);

export function projectNamespace(object: unknown): CachedNamespace {
  return {
    metadata: metadataOf(object, keptValidationAnnotation),
    status: { phase: text(record(record(object).status).phase, 'Unknown') },
  };
}

export function projectService(object: unknown): CachedService {
  const spec = record(record(object).spec);
  return {
    metadata: metadataOf(object, keptValidationAnnotation),
    spec: {
      type: text(spec.type, 'ClusterIP'),
      clusterIP: text(spec.clusterIP),
      selector: stringMap(spec.selector),
      ports: records(spec.ports).map((port) => {
        const number = count(port.port);
        const target = port.targetPort;
        const appProtocol = text(port.appProtocol);
        return {
          name: text(port.name),
          port: number,
          targetPort: typeof target === 'number' || typeof target === 'string' ? target : number,
          protocol: text(port.protocol, 'TCP'),
          ...(appProtocol ? { appProtocol } : {}),
        };
      }),
    },
  };
}

export function projectPod(object: unknown): CachedPod {
  const spec = record(record(object).spec);
  const status = record(record(object).status);
  const podIP = text(status.podIP);
  const nodeName = text(spec.nodeName);
  const ready = records(status.conditions).some(
    (condition) => condition.type === 'Ready' && condition.status === 'True',
  );
  return {
    metadata: metadataOf(object, keptPodAnnotation),
    spec: {
      serviceAccountName: text(spec.serviceAccountName, 'default'),
      ...(nodeName ? { nodeName } : {}),
      ...(spec.hostNetwork === true ? { hostNetwork: true } : {}),
      containers: records(spec.containers).map((container) => ({
        name: text(container.name),
        ports: records(container.ports).map((port) => {
          const name = text(port.name);
          return {
            ...(name ? { name } : {}),
            containerPort: count(port.containerPort),
            protocol: text(port.protocol, 'TCP'),
          };
        }),
      })),
      initContainers: records(spec.initContainers).map((container) => {
        const restartPolicy = text(container.restartPolicy);
        return { name: text(container.name), ...(restartPolicy ? { restartPolicy } : {}) };
      }),
    },
    status: { phase: text(status.phase, 'Unknown'), ...(podIP ? { podIP } : {}), ready },
  };
}

export function projectDeployment(object: unknown): CachedDeployment {
  const spec = record(record(object).spec);
  const template = record(spec.template);
  const status = record(record(object).status);
  return {
    metadata: metadataOf(object),
    spec: {
      replicas: count(spec.replicas, 1),
      selector: stringMap(record(spec.selector).matchLabels),
      template: {
        labels: stringMap(record(template.metadata).labels),
        annotations: stringMap(record(template.metadata).annotations, keptPodAnnotation),
        serviceAccountName: text(record(template.spec).serviceAccountName, 'default'),
      },
    },
    status: {
      replicas: count(status.replicas),
      readyReplicas: count(status.readyReplicas),
      availableReplicas: count(status.availableReplicas),
      updatedReplicas: count(status.updatedReplicas),
    },
  };
}

export function projectReplicaSet(object: unknown): CachedReplicaSet {
  const status = record(record(object).status);
  return {
    metadata: metadataOf(object, () => false),
    spec: { replicas: count(record(record(object).spec).replicas, 1) },
    status: { replicas: count(status.replicas), readyReplicas: count(status.readyReplicas) },
  };
}

/** Istio's mesh configuration lives in the `mesh` key of the `istio` (or `istio-REVISION`) ConfigMap. */
export function isMeshConfigMap(name: string): boolean {
  return name === 'istio' || name.startsWith('istio-');
}

/** `sidecarInjectorWebhook.enableNamespacesByDefault` from the injector's `values` (JSON). */
function injectsByDefault(values: unknown): boolean | undefined {
  if (typeof values !== 'string') return undefined;
  try {
    const parsed = record(JSON.parse(values));
    const enabled = record(parsed.sidecarInjectorWebhook).enableNamespacesByDefault;
    return typeof enabled === 'boolean' ? enabled : undefined;
  } catch {
    return undefined;
  }
}

export function projectConfigMap(object: unknown): CachedConfigMap {
  const metadata = metadataOf(object, () => false);
  const data = record(record(object).data);
  const mesh = data.mesh;
  const byDefault = metadata.name.startsWith('istio-sidecar-injector')
    ? injectsByDefault(data.values)
    : undefined;
  return {
    metadata,
    data: isMeshConfigMap(metadata.name) && typeof mesh === 'string' ? { mesh } : {},
    ...(byDefault === undefined ? {} : { injectNamespacesByDefault: byDefault }),
  };
}

/**
 * Istio objects keep their whole spec (validations read all of it); of their status only istiod's
 * analysis messages and a ServiceEntry's allocated addresses.
 */
export function projectIstioObject(object: unknown, apiVersion: string, kind: string): CachedIstioObject {
  const metadata = record(record(object).metadata);
  const status = record(record(object).status);
  const kept: NonNullable<CachedIstioObject['status']> = {};
  if (Array.isArray(status.validationMessages) && status.validationMessages.length > 0)
    kept.validationMessages = status.validationMessages;
  if (Array.isArray(status.addresses) && status.addresses.length > 0) kept.addresses = status.addresses;
  return {
    apiVersion,
    kind,
    metadata: { ...metadataOf(object), generation: count(metadata.generation) },
    spec: record(record(object).spec),
    ...(Object.keys(kept).length > 0 ? { status: kept } : {}),
  };
}

/** Name, namespace and type: a Secret's data, labels and annotations never reach the cache. */
export function projectSecret(object: unknown): CachedSecret {
  const metadata = metadataOf(object, () => false);
  return { metadata: { ...metadata, labels: {} }, type: text(record(object).type, 'Opaque') };
}

export function projectServiceAccount(object: unknown): CachedServiceAccount {
  const metadata = metadataOf(object, () => false);
  return { metadata: { ...metadata, labels: {} } };
}

export function projectNode(object: unknown): CachedNode {
  return { metadata: metadataOf(object, () => false) };
}

/** API groups whose CRD schemas are kept (the rest are kept by name only). */
export function isIstioGroup(group: string): boolean {
  return group === 'istio.io' || group.endsWith('.istio.io');
}

export function projectCrd(object: unknown): CachedCrd {
  const spec = record(record(object).spec);
  const names = record(spec.names);
  const group = text(spec.group);
  const keepSchemas = isIstioGroup(group);
  return {
    metadata: metadataOf(object, () => false),
    spec: {
      group,
      kind: text(names.kind),
      plural: text(names.plural),
      scope: text(spec.scope, 'Namespaced'),
      versions: records(spec.versions).map((version) => {
        const schema = record(record(version.schema).openAPIV3Schema);
        return {
          name: text(version.name),
          served: version.served === true,
          storage: version.storage === true,
          ...(keepSchemas && Object.keys(schema).length > 0 ? { schema } : {}),
        };
      }),
    },
  };
}
