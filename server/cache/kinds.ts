import 'server-only';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { IstioKind } from '@/lib/types/mesh-config';
import type { Cluster } from '../kube/cluster';
import {
  type CachedConfigMap,
  type CachedCrd,
  type CachedDeployment,
  type CachedIstioObject,
  type CachedNamespace,
  type CachedNode,
  type CachedPod,
  type CachedReplicaSet,
  type CachedSecret,
  type CachedService,
  type CachedServiceAccount,
  projectConfigMap,
  projectCrd,
  projectDeployment,
  projectIstioObject,
  projectNamespace,
  projectNode,
  projectPod,
  projectReplicaSet,
  projectSecret,
  projectService,
  projectServiceAccount,
} from './projections';

/**
 * The kinds the dashboard caches, and how each is listed, watched and projected. Kinds only the
 * configuration validation reads (Secrets, ServiceAccounts, Nodes, CRDs) are `onDemand`: started
 * by the first validation, so a dashboard that never validates never lists them. Of a Secret only
 * the name, namespace and type are kept, never its data.
 */

/** What each cache holds, by the kind's plural (its name in API paths). */
export interface CachedTypes {
  namespaces: CachedNamespace;
  services: CachedService;
  pods: CachedPod;
  deployments: CachedDeployment;
  replicasets: CachedReplicaSet;
  /** of the Istio namespace only, for the mesh configuration */
  configmaps: CachedConfigMap;
  /** names only, for Gateway `credentialName` (validation) */
  secrets: CachedSecret;
  /** for AuthorizationPolicy principals (validation) */
  serviceaccounts: CachedServiceAccount;
  /** topology labels of subsets (validation) */
  nodes: CachedNode;
  /** Istio's CRD schemas, for schema validation and the editor */
  customresourcedefinitions: CachedCrd;
  virtualservices: CachedIstioObject;
  destinationrules: CachedIstioObject;
  gateways: CachedIstioObject;
  serviceentries: CachedIstioObject;
  sidecars: CachedIstioObject;
  envoyfilters: CachedIstioObject;
  workloadentries: CachedIstioObject;
  peerauthentications: CachedIstioObject;
  requestauthentications: CachedIstioObject;
  authorizationpolicies: CachedIstioObject;
  telemetries: CachedIstioObject;
}

export type CacheKind = keyof CachedTypes;

export interface ListOptions {
  limit?: number;
  _continue?: string;
}

/** A list page as client-node's ListWatch wants it: items, and the list's resourceVersion. */
export type RawList = KubernetesListObject<KubernetesObject>;

export interface KindSpec<K extends CacheKind = CacheKind> {
  plural: K;
  kind: string;
  /** '' for the core group */
  group: string;
  /** served versions we can read, preferred first; a custom group's is chosen by discovery */
  versions: readonly string[];
  /** an Istio kind: optional, reported as "not installed" where the cluster does not serve it */
  istio: boolean;
  /** watched in this namespace only; unset = every namespace */
  namespace?: string;
  /**
   * started by the first `ResourceCaches.cache(kind)` rather than with the set: a kind only one
   * feature reads, which also reports its trouble (it is left out of the set's warnings)
   */
  onDemand?: boolean;
  list(cluster: Cluster, version: string, options: ListOptions): Promise<RawList>;
  project(object: unknown, version: string): CachedTypes[K];
}

/** Collection path for every namespace, e.g. `/apis/networking.istio.io/v1/virtualservices`. */
export function collectionPath(spec: KindSpec, version: string): string {
  const base = spec.group === '' ? `/api/${version}` : `/apis/${spec.group}/${version}`;
  return spec.namespace === undefined
    ? `${base}/${spec.plural}`
    : `${base}/namespaces/${spec.namespace}/${spec.plural}`;
}

/** Where Istio keeps its mesh configuration; its root namespace unless configured otherwise. */
export const ISTIO_NAMESPACE = 'istio-system';

export function apiVersionOf(spec: KindSpec, version: string): string {
  return spec.group === '' ? version : `${spec.group}/${version}`;
}

/** client-node's typed lists are class instances; the informer only reads items and metadata. */
const asRawList = (list: unknown) => list as RawList;

const core = {
  namespaces: {
    plural: 'namespaces',
    kind: 'Namespace',
    group: '',
    versions: ['v1'],
    istio: false,
    list: async (cluster, _version, options) => asRawList(await cluster.core.listNamespace(options)),
    project: projectNamespace,
  },
  services: {
    plural: 'services',
    kind: 'Service',
    group: '',
    versions: ['v1'],
    istio: false,
    list: async (cluster, _version, options) =>
      asRawList(await cluster.core.listServiceForAllNamespaces(options)),
    project: projectService,
  },
  pods: {
    plural: 'pods',
    kind: 'Pod',
    group: '',
    versions: ['v1'],
    istio: false,
    list: async (cluster, _version, options) =>
      asRawList(await cluster.core.listPodForAllNamespaces(options)),
    project: projectPod,
  },
  deployments: {
    plural: 'deployments',
    kind: 'Deployment',
    group: 'apps',
    versions: ['v1'],
    istio: false,
    list: async (cluster, _version, options) =>
      asRawList(await cluster.apps.listDeploymentForAllNamespaces(options)),
    project: projectDeployment,
  },
  replicasets: {
    plural: 'replicasets',
    kind: 'ReplicaSet',
    group: 'apps',
    versions: ['v1'],
    istio: false,
    list: async (cluster, _version, options) =>
      asRawList(await cluster.apps.listReplicaSetForAllNamespaces(options)),
    project: projectReplicaSet,
  },
  configmaps: {
    plural: 'configmaps',
    kind: 'ConfigMap',
    group: '',
    versions: ['v1'],
    istio: false,
    namespace: ISTIO_NAMESPACE,
    list: async (cluster, _version, options) =>
      asRawList(await cluster.core.listNamespacedConfigMap({ namespace: ISTIO_NAMESPACE, ...options })),
    project: projectConfigMap,
  },
  secrets: {
    plural: 'secrets',
    kind: 'Secret',
    group: '',
    versions: ['v1'],
    istio: false,
    onDemand: true,
    list: async (cluster, _version, options) =>
      asRawList(await cluster.core.listSecretForAllNamespaces(options)),
    project: projectSecret,
  },
  serviceaccounts: {
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    group: '',
    versions: ['v1'],
    istio: false,
    onDemand: true,
    list: async (cluster, _version, options) =>
      asRawList(await cluster.core.listServiceAccountForAllNamespaces(options)),
    project: projectServiceAccount,
  },
  nodes: {
    plural: 'nodes',
    kind: 'Node',
    group: '',
    versions: ['v1'],
    istio: false,
    onDemand: true,
    list: async (cluster, _version, options) => asRawList(await cluster.core.listNode(options)),
    project: projectNode,
  },
  customresourcedefinitions: {
    plural: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    istio: false,
    onDemand: true,
    list: async (cluster, version, options) =>
      asRawList(
        await cluster.custom.listClusterCustomObject({
          group: 'apiextensions.k8s.io',
          version,
          plural: 'customresourcedefinitions',
          ...options,
        }),
      ),
    project: projectCrd,
  },
} satisfies {
  [K in
    | 'namespaces'
    | 'services'
    | 'pods'
    | 'deployments'
    | 'replicasets'
    | 'configmaps'
    | 'secrets'
    | 'serviceaccounts'
    | 'nodes'
    | 'customresourcedefinitions']: KindSpec<K>;
};

function istio<K extends CacheKind>(
  plural: K,
  kind: IstioKind,
  group: string,
  versions: readonly string[],
): KindSpec<K> {
  return {
    plural,
    kind,
    group,
    versions,
    istio: true,
    list: async (cluster, version, options) =>
      asRawList(await cluster.custom.listClusterCustomObject({ group, version, plural, ...options })),
    project: (object, version) => projectIstioObject(object, `${group}/${version}`, kind) as CachedTypes[K],
  };
}

const networking = 'networking.istio.io';
const security = 'security.istio.io';

export const KIND_SPECS: { [K in CacheKind]: KindSpec<K> } = {
  ...core,
  virtualservices: istio('virtualservices', 'VirtualService', networking, ['v1', 'v1beta1', 'v1alpha3']),
  destinationrules: istio('destinationrules', 'DestinationRule', networking, ['v1', 'v1beta1', 'v1alpha3']),
  gateways: istio('gateways', 'Gateway', networking, ['v1', 'v1beta1', 'v1alpha3']),
  serviceentries: istio('serviceentries', 'ServiceEntry', networking, ['v1', 'v1beta1', 'v1alpha3']),
  sidecars: istio('sidecars', 'Sidecar', networking, ['v1', 'v1beta1', 'v1alpha3']),
  envoyfilters: istio('envoyfilters', 'EnvoyFilter', networking, ['v1alpha3']),
  workloadentries: istio('workloadentries', 'WorkloadEntry', networking, ['v1', 'v1beta1', 'v1alpha3']),
  peerauthentications: istio('peerauthentications', 'PeerAuthentication', security, ['v1', 'v1beta1']),
  requestauthentications: istio('requestauthentications', 'RequestAuthentication', security, [
    'v1',
    'v1beta1',
  ]),
  authorizationpolicies: istio('authorizationpolicies', 'AuthorizationPolicy', security, ['v1', 'v1beta1']),
  telemetries: istio('telemetries', 'Telemetry', 'telemetry.istio.io', ['v1', 'v1alpha1']),
};

/** Every kind there is a cache for. */
export const ALL_CACHE_KINDS = Object.keys(KIND_SPECS) as CacheKind[];

/** The kinds a cache set starts with (the on-demand ones start when first asked for). */
export const CACHE_KINDS = ALL_CACHE_KINDS.filter((kind) => !KIND_SPECS[kind].onDemand);
