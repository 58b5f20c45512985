/**
 * The Istio configuration views' DTOs: `GET /api/validations`, `GET /api/config`,
 * `GET|PUT /api/config/KIND/NAMESPACE/NAME`, `GET /api/schemas/KIND` and
 * `POST /api/validations/preview` (docs/api.md).
 */
import type { ApiWarning } from './api';
import type { IstioKind } from './mesh-config';
import type { Finding, FindingSeverity } from './validation';

/** Findings per severity. */
export type SeverityCounts = Record<FindingSeverity, number>;

export interface FindingCounts {
  total: number;
  bySeverity: SeverityCounts;
  /** per namespace of the objects found wanting (cluster-scoped objects count under their name's namespace: none) */
  byNamespace: ({ namespace: string } & SeverityCounts)[];
}

export interface ValidationsResponse {
  /** ISO time the configuration is current as of */
  asOf: string;
  findings: Finding[];
  counts: FindingCounts;
  warnings: ApiWarning[];
}

/** One Istio object of the list, with how many findings it has. */
export interface ConfigListItem {
  kind: IstioKind;
  namespace: string;
  name: string;
  apiVersion: string;
  resourceVersion: string;
  findings: SeverityCounts;
}

export interface ConfigKindStatus {
  kind: IstioKind;
  /** the cluster serves the kind (its CRD is installed) */
  installed: boolean;
}

export interface ConfigListResponse {
  asOf: string;
  items: ConfigListItem[];
  kinds: ConfigKindStatus[];
  warnings: ApiWarning[];
}

/** An object a reference names: Istio objects, Services, workloads, Secrets. */
export interface ConfigReference {
  /** `Service`, `ServiceEntry`, `DestinationRule`, `Gateway`, `VirtualService`, `Workload`, `Secret`, `WorkloadEntry` */
  kind: string;
  namespace: string;
  name: string;
  /** how the referring object names it: `host`, `subset`, `gateway`, `selector`, `credentialName`, `delegate` */
  via: string;
  /** the path in the referring object, e.g. `spec.http[0].route[0].destination.host` */
  path: string;
  /** what was written there (a host, a subset name, a selector) */
  value: string;
  /** the target exists; false marks a reference that resolves nowhere */
  resolved: boolean;
}

export interface ConfigAccess {
  editable: boolean;
  /** why not, when not editable */
  reason?: string;
  /** the controller that owns the object (Flagger, Argo CD...), when one does */
  owner?: string;
}

export interface ConfigObjectResponse {
  kind: IstioKind;
  namespace: string;
  name: string;
  /** the object as stored, without `managedFields`, ready to show as YAML */
  object: Record<string, unknown>;
  resourceVersion: string;
  findings: Finding[];
  /** what this object names */
  references: ConfigReference[];
  /** the objects naming this one (`kind/namespace/name` of the referrer, `path` in the referrer) */
  referencedBy: ConfigReference[];
  access: ConfigAccess;
  warnings: ApiWarning[];
}

/** `PUT /api/config/KIND/NAMESPACE/NAME`: the edited object; only spec, labels and annotations are written. */
export interface ConfigPutRequest {
  resourceVersion: string;
  object: Record<string, unknown>;
  dryRun?: boolean;
}

export interface ConfigPutResponse {
  dryRun: boolean;
  /** the object as the API server returned it (dry run: as it would be stored) */
  object: Record<string, unknown>;
  resourceVersion: string;
  /** the JSON patch sent (after the resourceVersion test) */
  operations: { op: string; path: string; value?: unknown }[];
  /** the findings the object has (dry run: would have) once written */
  findings: Finding[];
}

/** `GET /api/schemas/KIND`: the CRD's `openAPIV3Schema` of the served version the dashboard reads. */
export interface ConfigSchemaResponse {
  kind: IstioKind;
  apiVersion: string;
  schema: Record<string, unknown>;
}

/** `POST /api/validations/preview`: the findings drafts would have, schema errors included. */
export interface ValidationPreviewRequest {
  objects: Record<string, unknown>[];
}

export interface ValidationPreviewResponse {
  findings: Finding[];
  warnings: ApiWarning[];
}
