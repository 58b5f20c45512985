/**
 * Reading the stored specs of security objects: lenient accessors (a spec is whatever the cluster
 * holds), which workloads a policy's selector picks, and which of several policies Istio uses.
 */
import type { ConfigSnapshot, IstioKind, IstioObject, WorkloadInfo } from '../types/mesh-config';

export type Raw = Record<string, unknown>;

export function record(value: unknown): Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};
}

export function records(value: unknown): Raw[] {
  return Array.isArray(value) ? value.map(record) : [];
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A policy's `selector.matchLabels`; undefined when it has none (it then covers its namespace). */
export function selectorOf(object: IstioObject): Record<string, string> | undefined {
  const labels = record(record(object.spec.selector).matchLabels);
  const entries = Object.entries(labels).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Whether a policy uses `targetRef`/`targetRefs` (gateways, waypoints): sidecars ignore it. */
export function hasTargetRef(object: IstioObject): boolean {
  return Object.keys(record(object.spec.targetRef)).length > 0 || records(object.spec.targetRefs).length > 0;
}

export function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

export function ofKind(snapshot: ConfigSnapshot, kind: IstioKind): IstioObject[] {
  return snapshot.istio.filter((object) => object.kind === kind);
}

/**
 * Whether a workload-scoped policy (AuthorizationPolicy, RequestAuthentication) applies to a
 * workload: in the workload's namespace, or in the root namespace (then mesh-wide); with a
 * selector matching its labels, or none. PeerAuthentication levels are resolved separately.
 */
export function appliesTo(object: IstioObject, workload: WorkloadInfo, rootNamespace: string): boolean {
  if (hasTargetRef(object)) return false;
  if (object.namespace !== workload.namespace && object.namespace !== rootNamespace) return false;
  const selector = selectorOf(object);
  return selector === undefined || labelsMatch(selector, workload.labels);
}

function resourceVersionNumber(object: IstioObject): number {
  const value = Number(object.resourceVersion);
  return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
}

/**
 * Istio uses the oldest of several conflicting policies. The snapshot has no creation times, so
 * the lowest resourceVersion (the object untouched longest) stands in for age, then the name.
 */
export function oldestFirst(a: IstioObject, b: IstioObject): number {
  return resourceVersionNumber(a) - resourceVersionNumber(b) || a.name.localeCompare(b.name);
}

export const refOf = (object: { namespace: string; name: string }) => ({
  namespace: object.namespace,
  name: object.name,
});

export const objectRef = (object: IstioObject) => ({
  kind: object.kind,
  namespace: object.namespace,
  name: object.name,
});
