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
  ports: {
    name: string;
    port: number;
    targetPort: number;
    protocol: string;
    /** `appProtocol`, when set */
    appProtocol?: string;
  }[];
  labels: Record<string, string>;
  /** `networking.istio.io/exportTo` and `galley.istio.io/analyze-suppress` are read from here */
  annotations?: Record<string, string>;
  /** `spec.type`: ClusterIP (the default), NodePort, LoadBalancer, ExternalName */
  type?: string;
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
  /** `spec.hostNetwork` (such pods are never injected) */
  hostNetwork?: boolean;
  /** `spec.nodeName`, to add the node's topology labels as Istio does for endpoints */
  nodeName?: string;
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
  /** the object's status as stored (istiod's `validationMessages`, a ServiceEntry's allocated `addresses`) */
  status?: Record<string, unknown>;
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Gateway API Gateway, reduced to what a VirtualService bound to it needs. */
export interface KubernetesGatewayInfo extends ObjectRef {
  /** its listeners' `hostname`s, `*` for a listener without one */
  hostnames: string[];
}

/** A Node, reduced to its name and labels (the topology labels Istio copies onto endpoints). */
export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
}

/**
 * The mesh-wide settings the validation reads, from the MeshConfig (`istio` ConfigMap) and the
 * sidecar injector's values. Every field falls back to Istio's default when absent.
 */
export interface MeshSettings {
  /** `enableAutoMtls` (default true): clients pick mTLS by themselves when no DestinationRule says */
  enableAutoMtls?: boolean;
  /** `outboundTrafficPolicy.mode` (default ALLOW_ANY) */
  outboundTrafficPolicyMode?: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /** `trustDomain` (default `cluster.local`) */
  trustDomain?: string;
  /** `trustDomainAliases` */
  trustDomainAliases?: string[];
  /** the cluster's DNS domain (default `cluster.local`) */
  clusterDomain?: string;
  /**
   * `defaultConfig.proxyMetadata` sets ISTIO_META_DNS_CAPTURE together with
   * ISTIO_META_DNS_AUTO_ALLOCATE or PILOT_ENABLE_IP_AUTOALLOCATE: ServiceEntries get addresses
   * without declaring them (default false)
   */
  serviceEntryAddressAutoAllocation?: boolean;
  /** the injector's `sidecarInjectorWebhook.enableNamespacesByDefault` (default false) */
  injectNamespacesByDefault?: boolean;
  /** istiod's PILOT_SCOPE_GATEWAY_TO_NAMESPACE (default false) */
  scopeGatewayToNamespace?: boolean;
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
  /** mesh-wide settings; Istio's defaults when absent */
  mesh?: MeshSettings;
  /** Secrets by name only (never their data), for Gateway `credentialName`; unchecked when absent */
  secrets?: ObjectRef[];
  /** ServiceAccounts by name, for AuthorizationPolicy principals; those of pods and workloads when absent */
  serviceAccounts?: ObjectRef[];
  /** Nodes, for the topology labels of subsets; subsets selecting on them are unchecked when absent */
  nodes?: NodeInfo[];
  /** Gateway API Gateways (gateway.networking.k8s.io), which VirtualServices may bind too */
  kubernetesGateways?: KubernetesGatewayInfo[];
}
