/**
 * Keeps a telemetry snapshot to the namespaces a caller may see (token and header modes, see
 * server/auth/namespace-access.ts). Pure: the caller decides which namespaces are visible.
 *
 * A sample whose destination workload or destination service lies in a hidden namespace is
 * dropped. A sample whose source (the caller of a visible service) lies in a hidden namespace is
 * kept, its rate still counting towards the visible destination, but its source is replaced by
 * Istio's own `unknown` peer, so nothing of the hidden namespace (name, workload, principal) shows.
 * Peers without a namespace (`''`, `unknown`: outside the mesh; `*`: not grouped by) are always kept.
 */
import type { EdgeKey, TelemetrySnapshot, TrafficPeer } from '../types/telemetry';
import { type GraphTelemetrySnapshot, ungrouped } from './response-times';

const unknownPeer: TrafficPeer = {
  namespace: 'unknown',
  workload: 'unknown',
  app: 'unknown',
  version: 'unknown',
  principal: 'unknown',
};

/** Whether a namespace is a real one that needs checking (not empty, not Istio's `unknown`). */
export function isNamedNamespace(namespace: string): boolean {
  return namespace !== '' && namespace !== 'unknown' && namespace !== ungrouped;
}

/** Every named namespace a snapshot mentions (sources, destinations, services). */
export function snapshotNamespaces(snapshot: GraphTelemetrySnapshot): Set<string> {
  const found = new Set<string>();
  const add = (key: EdgeKey) => {
    for (const namespace of [key.source.namespace, key.destination.namespace, key.service.namespace])
      if (isNamedNamespace(namespace)) found.add(namespace);
  };
  for (const sample of snapshot.requests) add(sample);
  for (const sample of snapshot.durations) add(sample);
  for (const sample of snapshot.throughput) add(sample);
  for (const sample of snapshot.responseTimes ?? []) add(sample);
  return found;
}

export interface FilteredSnapshot<S extends GraphTelemetrySnapshot = TelemetrySnapshot> {
  snapshot: S;
  /** named namespaces the snapshot mentioned that are not visible */
  hidden: Set<string>;
}

/** The snapshot as a caller who sees only `visible` namespaces may have it. */
export function filterSnapshotNamespaces<S extends GraphTelemetrySnapshot>(
  snapshot: S,
  visible: (namespace: string) => boolean,
): FilteredSnapshot<S> {
  const hidden = new Set<string>();
  const seen = (namespace: string) => {
    if (!isNamedNamespace(namespace) || visible(namespace)) return true;
    hidden.add(namespace);
    return false;
  };
  function keep<T extends EdgeKey>(samples: T[], unknown: T['source']): T[] {
    const kept: T[] = [];
    for (const sample of samples) {
      const destinationSeen = seen(sample.destination.namespace);
      const serviceSeen = seen(sample.service.namespace);
      const sourceSeen = seen(sample.source.namespace);
      if (!destinationSeen || !serviceSeen) continue;
      kept.push(sourceSeen ? sample : { ...sample, source: unknown });
    }
    return kept;
  }
  const { principal: _principal, ...unknownKey } = unknownPeer;
  return {
    snapshot: {
      ...snapshot,
      requests: keep(snapshot.requests, unknownPeer),
      durations: keep(snapshot.durations, unknownKey),
      throughput: keep(snapshot.throughput, unknownKey),
      ...(snapshot.responseTimes ? { responseTimes: keep(snapshot.responseTimes, unknownKey) } : {}),
    },
    hidden,
  };
}
