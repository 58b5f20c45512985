import type { IstioKind, IstioObject, NamespaceInfo, PodInfo, ServiceInfo } from '../types/mesh-config';
import type { Finding, FindingObject, FindingSeverity } from '../types/validation';
import { CODES, type FindingCode } from './codes';
import type { MeshIndex } from './mesh-index';

/** What a checker inspects: an Istio object, or a Namespace, Pod or Service of the snapshot. */
export type SubjectKind = IstioKind | 'Namespace' | 'Pod' | 'Service';

export type SubjectOf<K extends SubjectKind> = K extends 'Namespace'
  ? NamespaceInfo
  : K extends 'Pod'
    ? PodInfo
    : K extends 'Service'
      ? ServiceInfo
      : IstioObject;

/**
 * One check: it inspects one subject of its kind against the index and reports findings on that
 * subject only (a conflict between two objects is reported by each of them when it is checked),
 * so the findings of an object can be recomputed on their own.
 */
export interface Checker<K extends SubjectKind = SubjectKind> {
  /** the file name, e.g. `vs-destination-hosts` */
  id: string;
  kind: K;
  check(subject: SubjectOf<K>, context: CheckContext): void;
}

export function defineChecker<K extends SubjectKind>(checker: Checker<K>): Checker<K> {
  return checker;
}

export interface FindingInput {
  code: FindingCode;
  path: string;
  message: string;
  /** overrides the code's Istio code; `null` when Istio does not report this case */
  istioCode?: string | null;
  /** overrides the code's Kiali code; `null` when Kiali does not report this case */
  kialiCode?: string | null;
  severity?: FindingSeverity;
}

export interface CheckContext {
  readonly index: MeshIndex;
  /** Reports a finding on `subject`. */
  report(subject: FindingObject, finding: FindingInput): void;
  /**
   * A value shared by the checks of every subject, computed once and kept until an Istio object
   * of one of the `dependsOn` kinds changes (Namespaces, Services and pods never change within a
   * validator).
   */
  memo<T>(key: string, dependsOn: readonly IstioKind[], compute: () => T): T;
}

export function subjectRef(kind: SubjectKind, subject: { namespace?: string; name: string }): FindingObject {
  return { kind, namespace: kind === 'Namespace' ? '' : (subject.namespace ?? ''), name: subject.name };
}

export function ref(object: IstioObject): FindingObject {
  return { kind: object.kind, namespace: object.namespace, name: object.name };
}

export function buildFinding(object: FindingObject, input: FindingInput): Finding {
  const info = CODES[input.code];
  const defaults = info as { istioCode?: string; kialiCode?: string };
  const istioCode = input.istioCode === null ? undefined : (input.istioCode ?? defaults.istioCode);
  const kialiCode = input.kialiCode === null ? undefined : (input.kialiCode ?? defaults.kialiCode);
  return {
    code: input.code,
    ...(istioCode ? { istioCode } : {}),
    ...(kialiCode ? { kialiCode } : {}),
    severity: input.severity ?? info.severity,
    object,
    path: input.path,
    message: input.message,
  };
}

/** A short, readable `ns/name` (or `name`) for messages. */
export function displayName(object: { namespace?: string; name: string }): string {
  return object.namespace ? `${object.namespace}/${object.name}` : object.name;
}
