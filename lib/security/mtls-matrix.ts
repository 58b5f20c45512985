/**
 * The mTLS matrix: per workload its effective mode and, per port, the server's mode with the
 * object that decided it and what clients send (DestinationRule or auto-mTLS); per namespace and
 * for the mesh the mode and whether all their workloads agree (the lock indicators).
 */
import type { ConfigSnapshot, ServiceInfo, WorkloadInfo } from '../types/mesh-config';
import type {
  MeshMtls,
  MtlsStatus,
  NamespaceMtls,
  ObservedMtls,
  PeerMode,
  PortMtls,
  ServicePortRef,
  WorkloadMtls,
} from '../types/security';
import { clientTlsFor } from './client-tls';
import { type PeerAuthentications, portLevelModes } from './peer-authentication';
import { labelsMatch } from './spec';

/** Whether a Service sends traffic to a workload: same namespace, a selector its labels match. */
export function serviceSelects(
  service: ServiceInfo,
  workload: Pick<WorkloadInfo, 'namespace' | 'labels'>,
): boolean {
  return (
    service.namespace === workload.namespace &&
    Object.keys(service.selector).length > 0 &&
    labelsMatch(service.selector, workload.labels)
  );
}

const servicesByNamespace = new WeakMap<object, Map<string, ServiceInfo[]>>();

/** The Services that send traffic to a workload (indexed per snapshot by namespace). */
export function servicesOf(
  snapshot: Pick<ConfigSnapshot, 'services'>,
  workload: Pick<WorkloadInfo, 'namespace' | 'labels'>,
): ServiceInfo[] {
  let index = servicesByNamespace.get(snapshot);
  if (!index) {
    index = new Map();
    for (const service of snapshot.services) {
      const list = index.get(service.namespace) ?? [];
      list.push(service);
      index.set(service.namespace, list);
    }
    servicesByNamespace.set(snapshot, index);
  }
  return (index.get(workload.namespace) ?? []).filter((service) => serviceSelects(service, workload));
}

/** The workload's ports: targets of the Services that select it, and ports its policy names. */
function portsOf(snapshot: ConfigSnapshot, workload: WorkloadInfo, peers: PeerAuthentications) {
  const ports = new Map<number, { refs: ServicePortRef[]; services: ServiceInfo[] }>();
  for (const service of servicesOf(snapshot, workload)) {
    for (const port of service.ports) {
      const entry = ports.get(port.targetPort) ?? { refs: [], services: [] };
      entry.refs.push({
        namespace: service.namespace,
        name: service.name,
        port: port.port,
        portName: port.name,
      });
      entry.services.push(service);
      ports.set(port.targetPort, entry);
    }
  }
  const policy = peers.workloadPolicies(workload)[0];
  if (policy)
    for (const { port } of portLevelModes(policy))
      if (!ports.has(port)) ports.set(port, { refs: [], services: [] });
  return [...ports].sort(([a], [b]) => a - b);
}

export function workloadMtls(
  snapshot: ConfigSnapshot,
  peers: PeerAuthentications,
  workload: WorkloadInfo,
  observed: ObservedMtls | null,
): WorkloadMtls {
  const own = peers.workloadMode(workload);
  const ports: PortMtls[] = portsOf(snapshot, workload, peers).map(([port, { refs, services }]) => {
    const server = peers.portMode(workload, port);
    const clients = refs.flatMap((ref, index) => {
      const service = services[index];
      if (!service) return [];
      return clientTlsFor(snapshot, service, ref.port, workload.labels, {
        mode: server.mode,
        namespaceMode: peers.namespaceMode(service.namespace).mode,
        sidecar: workload.sidecar,
      }).map((client) => ({ ...client, service: ref }));
    });
    return { port, mode: server.mode, origin: server.origin, services: refs, clients };
  });
  return {
    namespace: workload.namespace,
    name: workload.name,
    kind: workload.kind,
    app: workload.app,
    version: workload.version,
    serviceAccount: workload.serviceAccount,
    sidecar: workload.sidecar,
    mode: own.mode,
    origin: own.origin,
    ports,
    observed,
  };
}

/** The modes a workload enforces: its ports', or its own when it has no known port. */
export function enforcedModes(workload: Pick<WorkloadMtls, 'mode' | 'ports'>): PeerMode[] {
  return workload.ports.length > 0 ? workload.ports.map((port) => port.mode) : [workload.mode];
}

function statusOf(modes: readonly PeerMode[], fallback: PeerMode): MtlsStatus {
  const distinct = new Set(modes);
  if (distinct.size === 0) return fallback;
  if (distinct.size === 1) return modes[0] as PeerMode;
  return 'MIXED';
}

export function namespaceMtls(
  peers: PeerAuthentications,
  namespace: string,
  workloads: readonly WorkloadMtls[],
): NamespaceMtls {
  const own = peers.namespaceMode(namespace);
  const counts = { STRICT: 0, PERMISSIVE: 0, DISABLE: 0, noSidecar: 0 };
  const modes: PeerMode[] = [];
  for (const workload of workloads) {
    if (workload.namespace !== namespace) continue;
    if (!workload.sidecar) {
      counts.noSidecar += 1;
      continue;
    }
    for (const mode of enforcedModes(workload)) {
      counts[mode] += 1;
      modes.push(mode);
    }
  }
  return { namespace, mode: own.mode, origin: own.origin, status: statusOf(modes, own.mode), counts };
}

export function meshMtls(
  snapshot: ConfigSnapshot,
  peers: PeerAuthentications,
  namespaces: readonly NamespaceMtls[],
): MeshMtls {
  const mesh = peers.meshMode();
  const statuses = namespaces.map((namespace) => namespace.status);
  const distinct = new Set(statuses);
  return {
    rootNamespace: snapshot.rootNamespace,
    mode: mesh.mode,
    origin: mesh.origin,
    autoMtls: snapshot.mesh?.enableAutoMtls ?? true,
    status: distinct.size === 0 ? mesh.mode : distinct.size === 1 ? (statuses[0] as MtlsStatus) : 'MIXED',
  };
}
