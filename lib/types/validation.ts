/**
 * Findings of the configuration checks in lib/validation/: what in the mesh config is wrong or
 * about to hurt. Plain data, shared by the API (`GET /api/validations`) and the views.
 */

export type FindingSeverity = 'error' | 'warning' | 'info';

/** The object a finding is about; `namespace` is empty for cluster-scoped objects. */
export interface FindingObject {
  /** `VirtualService`, `DestinationRule`, ..., `Namespace`, `Pod`, `Service` */
  kind: string;
  namespace: string;
  name: string;
}

export interface Finding {
  /** our stable code, e.g. `vs.destination.subset-not-found` */
  code: string;
  /** the matching `istioctl analyze` message code (IST0101...), when Istio reports the same thing */
  istioCode?: string;
  /** the matching Kiali validation code (KIA1107...), when Kiali reports the same thing */
  kialiCode?: string;
  severity: FindingSeverity;
  object: FindingObject;
  /** where in the object, e.g. `spec.http[0].route[1].destination.subset`; `metadata.name` for the whole object */
  path: string;
  /** plain words: what is wrong, why it matters, what to do */
  message: string;
}

/** One entry of the ignore list: drops findings whose code, istioCode or kialiCode equals `code`. */
export interface IgnoreRule {
  code: string;
  /**
   * Only for these objects: `Kind namespace/name` (or `Kind name` when cluster-scoped), where `*`
   * matches any run of characters, as in `istioctl analyze --suppress`. Every object when absent.
   */
  resource?: string;
}

export interface ValidationOptions {
  /** findings to drop, on top of each object's `galley.istio.io/analyze-suppress` annotation */
  ignore?: readonly IgnoreRule[];
}
