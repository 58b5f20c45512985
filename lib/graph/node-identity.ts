/**
 * Step (b), identity: which node a peer or a service is in each graph type, with stable ids so the
 * UI keeps positions across refreshes:
 *
 *     wl:NAMESPACE:WORKLOAD        workload graph (and the service graph before it is reduced)
 *     app:NAMESPACE:APP            app graph; versionedApp when the version is unknown
 *     vapp:NAMESPACE:APP:VERSION   versionedApp graph (inside box:NAMESPACE:APP)
 *     svc:NAMESPACE:SERVICE        service nodes
 *     se:NAMESPACE:SERVICEENTRY    hosts a ServiceEntry declares
 *     unknown                      callers Istio could not identify
 *
 * As in Kiali, a peer without an app (canonical service) falls back to its workload node.
 */
import type { GraphType } from '../types/graph';
import type { WorkloadInfo } from '../types/mesh-config';
import type { DestinationService } from '../types/telemetry';
import { type ConfigIndex, canonicalApp, canonicalVersion } from './config-index';
import { isUnknown, type NodeIdentity, type Peer, unknownName } from './model';

export const unknownIdentity: NodeIdentity = {
  id: unknownName,
  kind: 'unknown',
  namespace: unknownName,
  name: unknownName,
};

function hostsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function boxId(namespace: string, app: string): string {
  return `box:${namespace}:${app}`;
}

/** The node a caller or callee is in a graph of `graphType` (the service graph starts as a workload graph). */
export function peerIdentity(graphType: GraphType, peer: Peer): NodeIdentity {
  if (isUnknown(peer.workload) || isUnknown(peer.namespace)) return unknownIdentity;
  const { namespace, workload, app, version } = peer;
  if (graphType === 'workload' || graphType === 'service' || isUnknown(app)) {
    // Fields set one by one (not spread): this runs for every distinct peer of a graph.
    const workloadNode: NodeIdentity = {
      id: `wl:${namespace}:${workload}`,
      kind: 'workload',
      namespace,
      name: workload,
      workload,
    };
    if (!isUnknown(app)) workloadNode.app = app;
    if (!isUnknown(version)) workloadNode.version = version;
    return workloadNode;
  }
  if (graphType === 'versionedApp' && !isUnknown(version)) {
    return { id: `vapp:${namespace}:${app}:${version}`, kind: 'app', namespace, name: app, app, version };
  }
  return { id: `app:${namespace}:${app}`, kind: 'app', namespace, name: app, app };
}

/** The node a configured workload is, named as its telemetry would name it. */
export function workloadIdentity(graphType: GraphType, workload: WorkloadInfo): NodeIdentity {
  return peerIdentity(graphType, {
    namespace: workload.namespace,
    workload: workload.name,
    app: canonicalApp(workload),
    version: canonicalVersion(workload),
  });
}

/**
 * The node for a destination service: a ServiceEntry node when a ServiceEntry declares the host,
 * else a service node; undefined when telemetry could not name the service.
 */
export function serviceIdentity(service: DestinationService, index: ConfigIndex): NodeIdentity | undefined {
  if (isUnknown(service.fqdn) && isUnknown(service.name)) return undefined;
  const known = index.service(service.fqdn);
  const entry = known ? undefined : index.serviceEntryFor(service.fqdn);
  if (entry) {
    return {
      id: `se:${entry.namespace}:${entry.name}`,
      kind: 'serviceentry',
      namespace: entry.namespace,
      name: entry.name,
      // every host it declares, so find/hide on `service` matches any of them
      service: hostsOf(entry.spec.hosts).join(',') || service.fqdn,
    };
  }
  const namespace = known?.namespace ?? (isUnknown(service.namespace) ? unknownName : service.namespace);
  const name = known?.name ?? (isUnknown(service.name) ? service.fqdn : service.name);
  return { id: `svc:${namespace}:${name}`, kind: 'service', namespace, name, service: name };
}
