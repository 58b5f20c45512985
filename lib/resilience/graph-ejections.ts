/**
 * Ejections on the graph: each service, workload and app node gets "1 of 3 pods ejected" from its
 * pods' state in their callers' Envoys, and edges with UO/UH responses read as a tripped breaker.
 */
import type { GraphEdge, GraphNode, NodeEjection } from '../types/graph';
import type { IstioObject, ServiceInfo } from '../types/mesh-config';
import type { PodResilience } from '../types/resilience';
import { hostCovers, toFqdn } from '../validation/hosts';
import { ejectedText } from './ejection-limits';

/** What the graph needs of a pod to place it on nodes. */
export interface PodPlacement {
  namespace: string;
  name: string;
  workload: string;
  labels: Record<string, string>;
}

function ejectionOf(states: readonly PodResilience[]): NodeEjection | undefined {
  if (states.length === 0) return undefined;
  const ejected = states.filter((state) => state.state === 'ejected').length;
  return { ejected, total: states.length, text: ejectedText(ejected, states.length) };
}

/** The pods of a node among the watched services' pods; undefined for nodes pods do not back. */
function podsOfNode(
  node: GraphNode,
  states: readonly PodResilience[],
  placements: ReadonlyMap<string, PodPlacement>,
): PodResilience[] | undefined {
  const place = (state: PodResilience) => placements.get(`${state.pod.namespace}/${state.pod.name}`);
  const inNamespace = states.filter((state) => state.pod.namespace === node.namespace);
  switch (node.kind) {
    case 'workload':
      return inNamespace.filter((state) => place(state)?.workload === (node.workload ?? node.name));
    case 'app':
      if (node.isBox) return undefined;
      return inNamespace.filter((state) => {
        const labels = place(state)?.labels ?? {};
        return (
          labels.app === (node.app ?? node.name) &&
          (node.version === undefined || labels.version === node.version)
        );
      });
    default:
      return undefined;
  }
}

/**
 * Nodes with `ejection` set where the pods behind them are watched (their service has outlier
 * detection and callers in the window). `byService` is keyed `namespace/name`.
 */
export function withNodeEjections(
  nodes: readonly GraphNode[],
  byService: ReadonlyMap<string, readonly PodResilience[]>,
  pods: readonly PodPlacement[],
): GraphNode[] {
  if (byService.size === 0) return [...nodes];
  const placements = new Map(pods.map((pod) => [`${pod.namespace}/${pod.name}`, pod]));
  // A pod behind several services counts once, with its worst state.
  const everyPod = new Map<string, PodResilience>();
  for (const states of byService.values())
    for (const state of states) {
      const key = `${state.pod.namespace}/${state.pod.name}`;
      const known = everyPod.get(key);
      if (!known || (known.state !== 'ejected' && state.state === 'ejected')) everyPod.set(key, state);
    }
  const all = [...everyPod.values()];
  return nodes.map((node) => {
    const states =
      node.kind === 'service'
        ? byService.get(`${node.namespace}/${node.service ?? node.name}`)
        : podsOfNode(node, all, placements);
    const ejection = states ? ejectionOf(states) : undefined;
    return ejection ? { ...node, ejection } : node;
  });
}

/** Requests per second the edge's callers got refused by a circuit breaker (UO) or with no healthy upstream (UH). */
export function trippedBreaker(
  edge: Pick<GraphEdge, 'responseFlags'>,
): { uo: number; uh: number } | undefined {
  let uo = 0;
  let uh = 0;
  for (const [flags, rate] of Object.entries(edge.responseFlags)) {
    const set = flags.split(',');
    if (set.includes('UO')) uo += rate;
    if (set.includes('UH')) uh += rate;
  }
  return uo > 0 || uh > 0 ? { uo, uh } : undefined;
}

/** `breaker open: 0.4 req/s UO, 0.1 req/s UH` */
export function trippedBreakerText(edge: Pick<GraphEdge, 'responseFlags'>): string | undefined {
  const tripped = trippedBreaker(edge);
  if (!tripped) return undefined;
  const parts = [
    tripped.uo > 0 ? `${tripped.uo.toFixed(2)} req/s UO (overflow)` : '',
    tripped.uh > 0 ? `${tripped.uh.toFixed(2)} req/s UH (no healthy upstream)` : '',
  ].filter(Boolean);
  return `Circuit breaker tripped: ${parts.join(', ')}`;
}

function hasOutlierDetection(rule: IstioObject): boolean {
  const policy = (value: unknown) =>
    typeof value === 'object' && value !== null && 'outlierDetection' in value;
  const subsets = Array.isArray(rule.spec.subsets) ? rule.spec.subsets : [];
  return (
    policy(rule.spec.trafficPolicy) ||
    subsets.some(
      (subset) =>
        typeof subset === 'object' &&
        subset !== null &&
        policy((subset as Record<string, unknown>).trafficPolicy),
    )
  );
}

/**
 * The services some DestinationRule gives outlier detection: the only ones whose pods can be
 * ejected, so the only ones worth polling callers for. One pass over the rules, then a host match
 * per service against the few rules that have it.
 */
export function servicesThatMayEject(
  istio: readonly IstioObject[],
  services: readonly ServiceInfo[],
): ServiceInfo[] {
  const hosts = istio
    .filter((object) => object.kind === 'DestinationRule' && hasOutlierDetection(object))
    .map((rule) => toFqdn(typeof rule.spec.host === 'string' ? rule.spec.host : '', rule.namespace));
  if (hosts.length === 0) return [];
  // Exact hosts by lookup; only wildcard hosts (rare) are matched one by one.
  const exact = new Set(hosts.filter((host) => !host.startsWith('*')));
  const wildcards = hosts.filter((host) => host.startsWith('*'));
  return services.filter(
    (service) => exact.has(service.fqdn) || wildcards.some((host) => hostCovers(host, service.fqdn)),
  );
}
