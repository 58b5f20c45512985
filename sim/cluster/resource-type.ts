/** How the simulated API server describes one kind of resource (built-in or from a CRD). */

export interface PrinterColumn {
  name: string;
  /** `string`, `integer`, `number`, `boolean` or `date` (a date is shown as an age, e.g. `5m10s`) */
  type: string;
  format?: string;
  description?: string;
  /** columns with priority > 0 show only with `kubectl get -o wide` */
  priority?: number;
  /** CRD-style JSONPath such as `.spec.hosts`, for custom resources */
  jsonPath?: string;
}

export interface ResourceVersionInfo {
  /** `v1`, `v1beta1`, ... */
  name: string;
  served: boolean;
  storage: boolean;
  /** the CRD version's `schema.openAPIV3Schema`, when known */
  schema?: Record<string, unknown>;
  printerColumns: PrinterColumn[];
}

export interface ResourceType {
  /** empty string for the core group */
  group: string;
  /** served versions, most preferred first (Kubernetes version priority) */
  versions: ResourceVersionInfo[];
  /** lower-case plural, e.g. `virtualservices` */
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** subresources served besides the main resource, e.g. `status`, `scale`, `log`, `proxy` */
  subresources: string[];
  /** true for kinds built into the server; false for kinds registered by a CRD */
  builtIn: boolean;
  /** built-ins: the list items carry no kind/apiVersion (as real API servers do) */
  omitKindInListItems: boolean;
  /** whether a change under `metadata` only leaves `metadata.generation` alone (CRDs, deployments) */
  hasGeneration: boolean;
}

export const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** `networking.istio.io/v1` or `v1` */
export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** A stable key naming one resource type independent of version, e.g. `networking.istio.io/virtualservices`. */
export function resourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}
