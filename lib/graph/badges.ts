/**
 * Step (f), badges from configuration (Kiali's istio and meshCheck appenders), never from traffic:
 *
 * - on service and ServiceEntry nodes, for mesh VirtualServices routing the host: virtualService,
 *   trafficShifting (a route with 2+ destinations), faultInjection, requestTimeout, retries
 *   (explicit), mirroring; without service nodes they go on the destination workloads instead;
 * - circuitBreaker: a DestinationRule for the host with connectionPool or outlierDetection (top
 *   level, per port, or in a subset — for a versioned node only the subsets selecting it);
 * - gateway (`isGateway`), missingSidecar (`isOutside`; a service when none of its workloads has
 *   one), serviceEntry. `unknown` callers are outside the mesh too.
 *
 * Hosts are matched fully qualified: `reviews` in a VirtualService in `default` is
 * `reviews.default.svc.cluster.local`.
 */
import type { Badge, GraphNode } from '../types/graph';
import type { IstioObject, WorkloadInfo } from '../types/mesh-config';
import { type ConfigIndex, labelsMatch, resolveHost } from './config-index';
import { badgeOrder, type WorkingGraph } from './model';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function routingBadges(virtualService: IstioObject): Badge[] {
  const http = list(virtualService.spec.http);
  const routes = [...http, ...list(virtualService.spec.tcp), ...list(virtualService.spec.tls)];
  const badges: Badge[] = ['virtualService'];
  if (routes.some((route) => list(route.route).length >= 2)) badges.push('trafficShifting');
  if (http.some((route) => isObject(route.fault))) badges.push('faultInjection');
  if (http.some((route) => route.timeout !== undefined)) badges.push('requestTimeout');
  if (http.some((route) => isObject(route.retries))) badges.push('retries');
  if (http.some((route) => isObject(route.mirror) || list(route.mirrors).length > 0))
    badges.push('mirroring');
  return badges;
}

function limitsTraffic(policy: unknown): boolean {
  if (!isObject(policy)) return false;
  if (isObject(policy.connectionPool) || isObject(policy.outlierDetection)) return true;
  return list(policy.portLevelSettings).some(
    (port) => isObject(port.connectionPool) || isObject(port.outlierDetection),
  );
}

/** A circuit breaker for these workloads (undefined: for any subset, as for a service node). */
function hasCircuitBreaker(rule: IstioObject, workloads?: readonly WorkloadInfo[]): boolean {
  if (limitsTraffic(rule.spec.trafficPolicy)) return true;
  return list(rule.spec.subsets).some(
    (subset) =>
      limitsTraffic(subset.trafficPolicy) &&
      (workloads === undefined ||
        workloads.some((workload) =>
          labelsMatch(
            isObject(subset.labels) ? (subset.labels as Record<string, string>) : {},
            workload.labels,
          ),
        )),
  );
}

interface NodeConfig {
  /** hosts whose routing badges the node shows */
  routedHosts: string[];
  /** hosts whose DestinationRules apply to the node */
  ruleHosts: string[];
  /** the workloads the node stands for (undefined for services: every subset applies) */
  workloads?: WorkloadInfo[];
  /** workloads behind the node, for the sidecar check */
  backing: WorkloadInfo[];
}

function serviceFqdn(node: GraphNode, index: ConfigIndex): string {
  const fqdn = resolveHost(node.name, node.namespace);
  return index.service(fqdn) ? fqdn : node.name.includes('.') ? node.name : fqdn;
}

function nodeConfig(node: GraphNode, index: ConfigIndex, injectServiceNodes: boolean): NodeConfig {
  if (node.kind === 'service') {
    const fqdn = serviceFqdn(node, index);
    const service = index.service(fqdn);
    return {
      routedHosts: [fqdn],
      ruleHosts: [fqdn],
      backing: service ? index.workloadsOfService(service) : [],
    };
  }
  if (node.kind === 'serviceentry') {
    const hosts = (node.service ?? '').split(',').filter(Boolean);
    return { routedHosts: hosts, ruleHosts: hosts, backing: [] };
  }
  if (node.kind === 'unknown' || node.isBox) return { routedHosts: [], ruleHosts: [], backing: [] };
  const workloads =
    node.kind === 'workload'
      ? [index.workload(node.namespace, node.workload ?? node.name)].filter((found) => found !== undefined)
      : index.workloadsOfApp(node.namespace, node.app ?? node.name, node.version);
  const hosts = [...new Set(workloads.flatMap((workload) => index.servicesOfWorkload(workload)))].map(
    (service) => service.fqdn,
  );
  return { routedHosts: injectServiceNodes ? [] : hosts, ruleHosts: hosts, workloads, backing: workloads };
}

/** What configuration says about a node: the same for every graph built on the same index. */
interface NodeDecoration {
  badges: Badge[];
  isGateway: boolean;
  isOutside: boolean;
}

/** Decorations by index, then by service-node injection and node id (ids name the identity fully). */
const decorations = new WeakMap<ConfigIndex, Map<string, NodeDecoration>>();

function decorate(node: GraphNode, index: ConfigIndex, injectServiceNodes: boolean): NodeDecoration {
  let known = decorations.get(index);
  if (!known) {
    known = new Map();
    decorations.set(index, known);
  }
  const key = `${injectServiceNodes ? 's' : 'w'}${node.isBox ? 'b' : ''}|${node.id}`;
  let decoration = known.get(key);
  if (!decoration) {
    decoration = decorationOf(node, index, injectServiceNodes);
    known.set(key, decoration);
  }
  return decoration;
}

export function applyBadges(
  graph: WorkingGraph,
  index: ConfigIndex,
  injectServiceNodes: boolean,
): WorkingGraph {
  for (const node of graph.nodes) {
    const { badges, isGateway, isOutside } = decorate(node, index, injectServiceNodes);
    // A copy: later steps (findings) add badges to the node's own list.
    node.badges = [...badges];
    if (isGateway) node.isGateway = true;
    if (isOutside) node.isOutside = true;
  }
  // A box is outside the mesh when one of its members is, as in Kiali.
  const outsideBoxes = new Set<string>();
  for (const node of graph.nodes) if (node.isOutside && node.parent) outsideBoxes.add(node.parent);
  for (const node of graph.nodes) if (node.isBox && outsideBoxes.has(node.id)) node.isOutside = true;
  return graph;
}

function decorationOf(node: GraphNode, index: ConfigIndex, injectServiceNodes: boolean): NodeDecoration {
  const config = nodeConfig(node, index, injectServiceNodes);
  const badges = new Set<Badge>();
  for (const host of config.routedHosts)
    for (const virtualService of index.virtualServicesFor(host))
      for (const badge of routingBadges(virtualService)) badges.add(badge);
  for (const host of config.ruleHosts)
    if (index.destinationRulesFor(host).some((rule) => hasCircuitBreaker(rule, config.workloads)))
      badges.add('circuitBreaker');
  const isWorkloadLike = node.kind === 'workload' || (node.kind === 'app' && !node.isBox);
  const isGateway = isWorkloadLike && config.backing.some((workload) => index.isGateway(workload));
  if (isGateway) badges.add('gateway');
  if (node.kind === 'serviceentry') badges.add('serviceEntry');
  const withoutSidecar = config.backing.filter((workload) => !workload.sidecar && !index.isGateway(workload));
  const missingSidecar = isWorkloadLike
    ? withoutSidecar.length > 0
    : config.backing.length > 0 && withoutSidecar.length === config.backing.length;
  if (missingSidecar) badges.add('missingSidecar');
  const isOutside = missingSidecar || node.kind === 'unknown';
  return { badges: badgeOrder.filter((badge) => badges.has(badge)), isGateway, isOutside };
}
