/**
 * Traffic that leaves the mesh. Istio reports it from the caller's sidecar only (no proxy answers
 * on the other side), and trafficGraph already turns it into edges:
 *
 * - to a host a ServiceEntry declares: the entry's node (`se:NAMESPACE:NAME`), as for any
 *   ServiceEntry host (`destination_service` is the host, in the entry's namespace);
 * - to a host no ServiceEntry declares: Envoy's PassthroughCluster (outboundTrafficPolicy
 *   ALLOW_ANY) or BlackHoleCluster (REGISTRY_ONLY, answered 502 by the caller's own proxy). Istio
 *   reports the cluster as `destination_service_name` with the `unknown` namespace, so, as in
 *   Kiali, each is one service node, `svc:unknown:PassthroughCluster` / `...:BlackHoleCluster`.
 *
 * This step marks those nodes outside the mesh (find/hide `outside`, `outofmesh`); MESH_INTERNAL
 * entries (mesh workloads Istio does not manage as Services) stay inside.
 */
import type { GraphNode } from '../types/graph';
import type { ConfigIndex } from './config-index';
import type { WorkingGraph } from './model';

export const PASSTHROUGH_CLUSTER = 'PassthroughCluster';
export const BLACKHOLE_CLUSTER = 'BlackHoleCluster';

/** Whether a node is Envoy's PassthroughCluster or BlackHoleCluster. */
export function isUnregisteredCluster(node: Pick<GraphNode, 'kind' | 'name'>): boolean {
  return node.kind === 'service' && (node.name === PASSTHROUGH_CLUSTER || node.name === BLACKHOLE_CLUSTER);
}

/** Whether a ServiceEntry node stands for hosts outside the mesh (`location` MESH_EXTERNAL, the default). */
function isExternalEntry(node: GraphNode, index: ConfigIndex): boolean {
  if (node.kind !== 'serviceentry') return false;
  const entry = index.config.istio.find(
    (object) =>
      object.kind === 'ServiceEntry' && object.namespace === node.namespace && object.name === node.name,
  );
  return (entry?.spec.location ?? 'MESH_EXTERNAL') !== 'MESH_INTERNAL';
}

export function markExternal(graph: WorkingGraph, index: ConfigIndex): WorkingGraph {
  if (!graph.nodes.some((node) => node.kind === 'serviceentry' || isUnregisteredCluster(node))) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((node) =>
      isUnregisteredCluster(node) || isExternalEntry(node, index) ? { ...node, isOutside: true } : node,
    ),
  };
}
