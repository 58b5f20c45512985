/**
 * Graph edges whose observed requests were denied (403: the destination sidecar's RBAC answers
 * 403 to a denied HTTP request) beside what configuration decides for that caller and destination,
 * with the same evaluator as the what-if check. Only edges with 403s are evaluated, so the cost
 * follows the denials, not the size of the graph.
 */
import { canonicalApp, canonicalVersion } from '../graph/config-index';
import type { GraphEdge, GraphNode } from '../types/graph';
import type { ConfigSnapshot, WorkloadInfo } from '../types/mesh-config';
import type { AuthzCheckRequest, EdgeAuthz } from '../types/security';
import { checkAuthz } from './authz-check';
import { labelsMatch } from './spec';

const isUnknown = (value: string | undefined) => value === undefined || value === '' || value === 'unknown';

/** The workloads a node stands for: its workload, its app (and version), or a service's endpoints. */
function workloadsOf(node: GraphNode, snapshot: ConfigSnapshot): WorkloadInfo[] {
  const inNamespace = snapshot.workloads.filter((workload) => workload.namespace === node.namespace);
  if (node.workload) return inNamespace.filter((workload) => workload.name === node.workload);
  if (node.kind === 'app' && node.app)
    return inNamespace.filter(
      (workload) =>
        canonicalApp(workload) === node.app && (!node.version || canonicalVersion(workload) === node.version),
    );
  if (node.kind === 'service') {
    const service = snapshot.services.find(
      (entry) => entry.namespace === node.namespace && entry.name === node.name,
    );
    if (!service || Object.keys(service.selector).length === 0) return [];
    return inNamespace.filter((workload) => labelsMatch(service.selector, workload.labels));
  }
  return [];
}

/** Who the destination sees: a workload of the source node, or a caller without a sidecar. */
function sourceOf(node: GraphNode, snapshot: ConfigSnapshot): AuthzCheckRequest['source'] {
  if (isUnknown(node.namespace) || isUnknown(node.name)) return { namespace: 'unknown', sidecar: false };
  const [workload] = workloadsOf(node, snapshot);
  return workload
    ? { namespace: workload.namespace, workload: workload.name }
    : { namespace: node.namespace };
}

/** The authorization verdict of each edge with denied (403) requests, by edge id. */
export function edgeDenials(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  snapshot: ConfigSnapshot,
): Map<string, EdgeAuthz> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const verdicts = new Map<string, EdgeAuthz>();
  for (const edge of edges) {
    const deniedRps = edge.responseCodes['403'] ?? 0;
    if (deniedRps <= 0) continue;
    const sourceNode = byId.get(edge.source);
    const targetNode = byId.get(edge.target);
    // A service node's outgoing edge repeats its callers' requests: the callers' edges explain them.
    if (!sourceNode || !targetNode || sourceNode.kind === 'service' || sourceNode.kind === 'serviceentry')
      continue;
    const source = sourceOf(sourceNode, snapshot);
    const [destination] = workloadsOf(targetNode, snapshot);
    if (!destination) {
      verdicts.set(edge.id, {
        deniedRps,
        decision: 'unknown',
        reason: 'Requests were denied (403); the caller or destination workload is not known to check why.',
      });
      continue;
    }
    const result = checkAuthz(snapshot, {
      source,
      destination: { namespace: destination.namespace, workload: destination.name },
      request: { method: 'GET', path: '/' },
    });
    if (!result.ok) continue;
    const { decision, policy, rule, reason, stage } = result.answer;
    verdicts.set(edge.id, {
      deniedRps,
      decision,
      stage,
      ...(policy ? { policy } : {}),
      ...(rule !== undefined ? { rule } : {}),
      reason:
        decision === 'DENY'
          ? `Configuration denies it too (checked as GET /): ${reason}`
          : `Configuration would ${decision === 'ALLOW' ? 'allow' : 'hand to an external authorizer'} GET / from this caller: the 403s depend on the method, path or headers, or come from the application. ${reason}`,
    });
  }
  return verdicts;
}

/** The edges with their verdict added (`authz`), the others unchanged. */
export function withEdgeDenials(
  nodes: readonly GraphNode[],
  edges: GraphEdge[],
  snapshot: ConfigSnapshot,
): GraphEdge[] {
  const verdicts = edgeDenials(nodes, edges, snapshot);
  if (verdicts.size === 0) return edges;
  return edges.map((edge) => {
    const authz = verdicts.get(edge.id);
    return authz ? { ...edge, authz } : edge;
  });
}
