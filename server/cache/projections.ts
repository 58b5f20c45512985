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
}

/** A ConfigMap of the Istio namespace: only Istio's mesh configuration is kept, as its YAML text. */
export interface CachedConfigMap {
  metadata: CachedMetadata;
  data: { mesh?: string };
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

export function projectNamespace(object: unknown): CachedNamespace {
  return {
    metadata: metadataOf(object, () => false),
    status: { phase: text(record(record(object).status).phase, 'Unknown') },
  };
}

export function projectService(object: unknown): CachedService {
  const spec = record(record(object).spec);
  return {
    metadata: metadataOf(object, () => false),
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

export function projectConfigMap(object: unknown): CachedConfigMap {
  const metadata = metadataOf(object, () => false);
  const mesh = record(record(object).data).mesh;
  return {
    metadata,
    data: isMeshConfigMap(metadata.name) && typeof mesh === 'string' ? { mesh } : {},
  };
}

/** Istio objects keep their whole spec (validations read all of it) but not their status. */
export function projectIstioObject(object: unknown, apiVersion: string, kind: string): CachedIstioObject {
  const metadata = record(record(object).metadata);
  return {
    apiVersion,
    kind,
    metadata: { ...metadataOf(object), generation: count(metadata.generation) },
    spec: record(record(object).spec),
  };
}
