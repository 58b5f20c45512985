/**
 * The whole mTLS view of some namespaces (what `GET /api/security/mtls` answers, less its
 * envelope): the matrix, the lock indicators, the observed edges with what configuration expects
 * of them, and every conflict, configured or observed.
 */
import type { ConfigSnapshot, ServiceInfo, WorkloadInfo } from '../types/mesh-config';
import type { MtlsEdge, MtlsResponse, WorkloadMtls } from '../types/security';
import type { TelemetrySnapshot } from '../types/telemetry';
import { clientDecision, destinationRuleFor, ruleTls } from './client-tls';
import { configConflicts, observedConflicts } from './mtls-conflicts';
import { enforcedModes, meshMtls, namespaceMtls, workloadMtls } from './mtls-matrix';
import { type ObservedEdge, observedByWorkload, observedEdges, workloadKey } from './observed';
import { PeerAuthentications } from './peer-authentication';

export type MtlsView = Pick<MtlsResponse, 'mesh' | 'namespaces' | 'workloads' | 'edges' | 'conflicts'>;

const severityOrder = { error: 0, warning: 1, info: 2 } as const;

/** What configuration says the edge's caller sends, and how the traffic disagrees with it. */
interface Lookup {
  snapshot: ConfigSnapshot;
  peers: PeerAuthentications;
  /** the listed workloads' views by `namespace/name` */
  views: Map<string, WorkloadMtls>;
  /** every workload of the snapshot by `namespace/name` */
  workloads: Map<string, WorkloadInfo>;
  services: Map<string, ServiceInfo>;
}

function edgeOf({ snapshot, peers, views, workloads, services }: Lookup, edge: ObservedEdge): MtlsEdge {
  const destination = views.get(workloadKey(edge.destination.namespace, edge.destination.workload));
  const source = workloads.get(workloadKey(edge.source.namespace, edge.source.workload));
  const service = services.get(edge.service);
  let expected: MtlsEdge['expected'] = 'unknown';
  if (edge.source.workload === 'unknown' || (source && !source.sidecar)) expected = 'plaintext';
  else if (source && service && destination) {
    const port = destination.ports.find((candidate) =>
      candidate.services.some((ref) => ref.namespace === service.namespace && ref.name === service.name),
    );
    const servicePort = port?.services.find((ref) => ref.name === service.name)?.port;
    if (port && servicePort !== undefined) {
      const rule = destinationRuleFor(snapshot, service, source.namespace);
      const decision = clientDecision(
        rule,
        rule ? ruleTls(rule, servicePort) : undefined,
        {
          mode: port.mode,
          namespaceMode: peers.namespaceMode(service.namespace).mode,
          sidecar: destination.sidecar,
        },
        snapshot.mesh?.enableAutoMtls ?? true,
      );
      expected = decision.mutual ? 'mutual' : 'plaintext';
    }
  }
  const plaintext = edge.rps - edge.mtlsRps > 0;
  const modes = new Set(destination ? enforcedModes(destination) : []);
  let mismatch: string | undefined;
  if (plaintext && destination?.sidecar && modes.size === 1 && modes.has('STRICT'))
    mismatch = 'plaintext reached a STRICT workload within the window';
  else if (plaintext && destination?.sidecar && modes.has('PERMISSIVE'))
    mismatch = 'PERMISSIVE destination accepting plaintext';
  else if (expected === 'mutual' && plaintext)
    mismatch = `configuration says mutual TLS, but ${(100 - edge.mtlsPercent).toFixed(1)}% was plaintext`;
  else if (expected === 'plaintext' && edge.mtlsRps > 0)
    mismatch = `configuration says plaintext, but ${edge.mtlsPercent}% was mutual TLS`;
  return {
    source: edge.source,
    destination: edge.destination,
    service: edge.service,
    rps: edge.rps,
    mtlsPercent: edge.mtlsPercent,
    expected,
    ...(mismatch ? { mismatch } : {}),
  };
}

/**
 * The view of `namespaces` (every namespace of the snapshot when empty). `telemetry` null means
 * nothing is known of traffic: `observed` stays null and no edge or observed conflict appears.
 */
export function buildMtlsView(
  snapshot: ConfigSnapshot,
  namespaces: readonly string[],
  telemetry: Pick<TelemetrySnapshot, 'requests'> | null,
): MtlsView {
  const listed =
    namespaces.length > 0 ? [...namespaces] : snapshot.namespaces.map((namespace) => namespace.name);
  const wanted = new Set(listed);
  const peers = new PeerAuthentications(snapshot);
  const observed = telemetry ? observedByWorkload(telemetry.requests) : new Map();
  const workloads = snapshot.workloads
    .filter((workload) => wanted.has(workload.namespace))
    .map((workload) =>
      workloadMtls(
        snapshot,
        peers,
        workload,
        observed.get(workloadKey(workload.namespace, workload.name)) ?? null,
      ),
    );
  const namespaceViews = [...listed].sort().map((namespace) => namespaceMtls(peers, namespace, workloads));
  const lookup: Lookup = {
    snapshot,
    peers,
    views: new Map(workloads.map((workload) => [workloadKey(workload.namespace, workload.name), workload])),
    workloads: new Map(
      snapshot.workloads.map((workload) => [workloadKey(workload.namespace, workload.name), workload]),
    ),
    services: new Map(snapshot.services.map((service) => [service.fqdn, service])),
  };
  const edges = telemetry
    ? observedEdges(telemetry.requests)
        .filter((edge) =>
          lookup.views.has(workloadKey(edge.destination.namespace, edge.destination.workload)),
        )
        .map((edge) => edgeOf(lookup, edge))
    : [];
  const conflicts = [
    ...configConflicts(snapshot, peers, workloads, listed),
    ...(telemetry ? observedConflicts(snapshot, workloads, telemetry.requests) : []),
  ].sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      a.namespace.localeCompare(b.namespace) ||
      (a.workload ?? '').localeCompare(b.workload ?? ''),
  );
  return {
    mesh: meshMtls(snapshot, peers, namespaceViews),
    namespaces: namespaceViews,
    workloads,
    edges,
    conflicts,
  };
}
