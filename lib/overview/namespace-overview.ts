/**
 * Per-namespace summaries for the overview page, from the configuration snapshot and a workload
 * graph (lib/graph's buildGraph, without service nodes): counts of workloads, services and Istio
 * objects; requests received by the namespace's workloads; the worst health among them.
 */
import { worstStatus } from '../graph/health';
import type { GraphNode, HealthStatus } from '../types/graph';
import type { ConfigSnapshot } from '../types/mesh-config';
import type { NamespaceOverview } from '../types/overview';

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

export function summarizeNamespaces(
  config: ConfigSnapshot,
  workloadNodes: readonly GraphNode[],
): NamespaceOverview[] {
  const workloads = countBy(config.workloads, (workload) => workload.namespace);
  const services = countBy(config.services, (service) => service.namespace);
  const istio = countBy(config.istio, (object) => object.namespace);
  const nodesByNamespace = new Map<string, GraphNode[]>();
  for (const node of workloadNodes) {
    if (node.kind !== 'workload' || node.isBox) continue;
    nodesByNamespace.set(node.namespace, [...(nodesByNamespace.get(node.namespace) ?? []), node]);
  }
  return config.namespaces.map((namespace) => {
    const nodes = nodesByNamespace.get(namespace.name) ?? [];
    const requestRate = nodes.reduce((sum, node) => sum + node.traffic.inboundRps, 0);
    const failing = nodes.reduce(
      (sum, node) => sum + node.traffic.inboundRps * node.traffic.inboundErrorRate,
      0,
    );
    const count = workloads.get(namespace.name) ?? 0;
    const statuses = nodes.map((node) => node.health.status);
    const health: HealthStatus =
      count === 0 && nodes.length === 0 ? 'na' : worstStatus([...statuses, 'idle']);
    return {
      name: namespace.name,
      health,
      requestRate,
      errorRate: requestRate > 0 ? failing / requestRate : 0,
      workloads: count,
      services: services.get(namespace.name) ?? 0,
      istioObjects: istio.get(namespace.name) ?? 0,
    };
  });
}
