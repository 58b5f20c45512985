/**
 * The configuration the dashboard reads from the cluster, reduced to what its views need: a
 * snapshot built by server/ from its caches and handed to the pure code in lib/ (graph badges,
 * validations, security). Istio objects keep their `spec` as it was stored.
 */

export interface ObjectRef {
  namespace: string;
  name: string;
}

export interface ServiceInfo extends ObjectRef {
  /** `name.namespace.svc.cluster.local` */
  fqdn: string;
  selector: Record<string, string>;
  ports: { name: string; port: number; targetPort: number; protocol: string }[];
  labels: Record<string, string>;
}

export interface WorkloadInfo extends ObjectRef {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Pod' | 'Job';
  /** the `app` label (or `app.kubernetes.io/name`), else the workload name */
  app: string;
  /** the `version` label, empty when unset */
  version: string;
  labels: Record<string, string>;
  serviceAccount: string;
  desiredReplicas: number;
  readyReplicas: number;
  /** pods currently running */
  pods: number;
  /** every running pod has the istio-proxy container */
  sidecar: boolean;
  /** the pods' `proxy.istio.io/config` annotation asks for outlier-detection stats */
  outlierStatsEnabled: boolean;
}

export interface PodInfo extends ObjectRef {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  serviceAccount: string;
  /** `status.phase`: Running, Pending, ... */
  phase: string;
  podIP: string;
  /** container names, the sidecar (`istio-proxy`) included when injected */
  containers: string[];
  /** has the istio-proxy container */
  sidecar: boolean;
  /** the owning workload's name (Deployment for pods of a ReplicaSet), or the pod's own name */
  workload: string;
}

export type IstioKind =
  | 'VirtualService'
  | 'DestinationRule'
  | 'Gateway'
  | 'ServiceEntry'
  | 'Sidecar'
  | 'EnvoyFilter'
  | 'WorkloadEntry'
  | 'PeerAuthentication'
  | 'RequestAuthentication'
  | 'AuthorizationPolicy'
  | 'Telemetry';

export interface IstioObject extends ObjectRef {
  kind: IstioKind;
  apiVersion: string;
  resourceVersion: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** the object's spec as stored (validated by the consumers that read it) */
  spec: Record<string, unknown>;
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
}

export interface ConfigSnapshot {
  namespaces: NamespaceInfo[];
  services: ServiceInfo[];
  workloads: WorkloadInfo[];
  pods: PodInfo[];
  /** the mesh's root namespace (`rootNamespace` of the mesh config; `istio-system` by default) */
  rootNamespace: string;
  istio: IstioObject[];
  /** ISO time of the oldest cache the snapshot was built from */
  asOf: string;
}
