import 'server-only';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { IstioKind } from '@/lib/types/mesh-config';
import type { Cluster } from '../kube/cluster';
import {
  type CachedConfigMap,
  type CachedDeployment,
  type CachedIstioObject,
  type CachedNamespace,
  type CachedPod,
  type CachedReplicaSet,
  type CachedService,
  projectConfigMap,
  projectDeployment,
  projectIstioObject,
  projectNamespace,
  projectPod,
  projectReplicaSet,
  projectService,
} from './projections';

/**
 * The kinds the dashboard caches, and how each is listed, watched and projected. Secrets are
 * deliberately absent: the dashboard never lists, watches or caches them.
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
} satisfies {
  [K in 'namespaces' | 'services' | 'pods' | 'deployments' | 'replicasets' | 'configmaps']: KindSpec<K>;
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

export const CACHE_KINDS = Object.keys(KIND_SPECS) as CacheKind[];
