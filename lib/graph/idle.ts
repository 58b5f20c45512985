/**
 * Step (h), idle nodes and edges (`idle=true`): what the configuration says exists in the
 * requested namespaces but carried no traffic in the window. Workloads and services without a
 * node get one with `isIdle`; a service gets an idle edge to each of its workloads that it sent
 * nothing to, so a canary's unused version shows where traffic could go (Bookinfo's reviews-v2
 * next to the 50/50 split between v1 and v3). The service graph gets idle services only.
 */
import type { GraphType } from '../types/graph';
import type { ServiceInfo } from '../types/mesh-config';
import type { ConfigIndex } from './config-index';
import { type EdgeProtocol, edgeId, type NodeIdentity, newEdge, newNode, type WorkingGraph } from './model';
import { serviceIdentity, workloadIdentity } from './node-identity';

export interface IdleInput {
  namespaces: readonly string[];
  index: ConfigIndex;
  injectServiceNodes: boolean;
}

/** Istio's protocol selection by port name (`tcp-mongo`, `grpc-api`), HTTP otherwise. */
function serviceProtocol(service: ServiceInfo): EdgeProtocol {
  const name = service.ports[0]?.name ?? '';
  if (/^(tcp|mongo|mysql|redis)(-|$)/.test(name)) return 'tcp';
  if (/^grpc(-|$)/.test(name)) return 'grpc';
  return 'http';
}

export function addIdle(graph: WorkingGraph, input: IdleInput): WorkingGraph {
  const { index, injectServiceNodes } = input;
  const scope = new Set(input.namespaces);
  const inScope = (namespace: string) => scope.size === 0 || scope.has(namespace);
  const graphType: GraphType = graph.graphType;
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const edges = new Map(graph.edges.map((edge) => [edge.id, edge]));
  const ensure = (identity: NodeIdentity) => {
    if (!nodes.has(identity.id)) nodes.set(identity.id, newNode(identity, { isIdle: true }));
  };
  const linked = new Set(graph.edges.map((edge) => `${edge.source}|${edge.target}`));

  if (graphType !== 'service') {
    for (const workload of index.config.workloads)
      if (inScope(workload.namespace)) ensure(workloadIdentity(graphType, workload));
  }
  if (graphType === 'service' || injectServiceNodes) {
    for (const service of index.config.services) {
      if (!inScope(service.namespace)) continue;
      const from = serviceIdentity(service, index);
      if (!from) continue;
      ensure(from);
      if (graphType === 'service') continue;
      for (const workload of index.workloadsOfService(service)) {
        const to = workloadIdentity(graphType, workload);
        if (linked.has(`${from.id}|${to.id}`)) continue;
        const protocol = serviceProtocol(service);
        const id = edgeId(from.id, to.id, protocol);
        if (!edges.has(id)) edges.set(id, newEdge(from.id, to.id, protocol, { isIdle: true }));
      }
    }
  }
  return { ...graph, nodes: [...nodes.values()], edges: [...edges.values()] };
}
