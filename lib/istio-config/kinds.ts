import type { IstioKind } from '../types/mesh-config';

/** Every Istio kind the dashboard reads, in the order the config page lists them. */
export const ISTIO_KINDS = [
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'ServiceEntry',
  'Sidecar',
  'WorkloadEntry',
  'EnvoyFilter',
  'PeerAuthentication',
  'RequestAuthentication',
  'AuthorizationPolicy',
  'Telemetry',
] as const satisfies readonly IstioKind[];

export function isIstioKind(value: string): value is IstioKind {
  return (ISTIO_KINDS as readonly string[]).includes(value);
}

/** The config page of one object. */
export function configObjectHref(object: { kind: string; namespace: string; name: string }): string {
  return `/config/${encodeURIComponent(object.kind)}/${encodeURIComponent(object.namespace)}/${encodeURIComponent(object.name)}`;
}

/** Its API path (`GET|PUT`). */
export function configObjectApiPath(object: { kind: string; namespace: string; name: string }): string {
  return `/api${configObjectHref(object)}`;
}
