/**
 * Which graph nodes a finding concerns, for a warning badge on nodes whose configuration has
 * findings (the graph page integrates it). A finding on:
 *
 * - a Service, or a VirtualService/DestinationRule of a host: the host's service node (for a
 *   VirtualService finding inside a route destination or mirror, that destination's host), or a
 *   ServiceEntry node for a ServiceEntry host; when the graph has no node for the service, the
 *   nodes of the workloads it selects;
 * - a Pod: its workload's node (workload, app or versioned-app node);
 * - a Gateway, Sidecar, EnvoyFilter or policy with a workload selector: the selected workloads'
 *   nodes (a policy without selector applies namespace-wide and marks no node);
 * - a ServiceEntry: its node.
 *
 * Namespaces, WorkloadEntries and namespace-wide policies mark no node.
 */
import { canonicalApp, canonicalVersion } from '../graph/config-index';
import type { GraphNode } from '../types/graph';
import type { ConfigSnapshot, IstioObject, ServiceInfo, WorkloadInfo } from '../types/mesh-config';
import type { Finding, FindingObject, FindingSeverity } from '../types/validation';
import { toFqdn } from '../validation/hosts';
import { selectorMatches } from '../validation/labels';
import { labelMap, record, text, texts } from '../validation/spec';
import { type PathSegment, parsePath } from './paths';

export interface NodeFindings {
  error: number;
  warning: number;
  info: number;
  /** the worst severity among them */
  severity: FindingSeverity;
  /** the objects whose findings these are (each once) */
  objects: FindingObject[];
}

type Target =
  | { kind: 'service'; service: ServiceInfo }
  | { kind: 'serviceentry'; namespace: string; name: string }
  | { kind: 'workload'; workload: WorkloadInfo };

interface Lookup {
  config: ConfigSnapshot;
  serviceByFqdn: Map<string, ServiceInfo>;
  istio: Map<string, IstioObject>;
  workloads: Map<string, WorkloadInfo>;
}

const SEVERITY_ORDER: FindingSeverity[] = ['error', 'warning', 'info'];

function at(value: unknown, segments: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (typeof segment === 'number') current = Array.isArray(current) ? current[segment] : undefined;
    else current = record(current)?.[segment];
  }
  return current;
}

function hostTargets(lookup: Lookup, host: string, namespace: string): Target[] {
  const fqdn = toFqdn(host, namespace);
  const service = lookup.serviceByFqdn.get(fqdn);
  if (service) return [{ kind: 'service', service }];
  const entries = lookup.config.istio.filter(
    (object) =>
      object.kind === 'ServiceEntry' &&
      texts(object.spec.hosts).some((entry) => toFqdn(entry, object.namespace) === fqdn),
  );
  return entries.map((entry) => ({ kind: 'serviceentry', namespace: entry.namespace, name: entry.name }));
}

function selectedWorkloads(lookup: Lookup, selector: Record<string, string>, namespace?: string): Target[] {
  if (Object.keys(selector).length === 0) return [];
  return lookup.config.workloads
    .filter((workload) => namespace === undefined || workload.namespace === namespace)
    .filter((workload) => selectorMatches(selector, workload.labels))
    .map((workload) => ({ kind: 'workload', workload }));
}

/** For a VirtualService finding inside a destination, the destination's host. */
function destinationHost(object: IstioObject, path: string): string | undefined {
  const segments = parsePath(path);
  for (let end = segments.length; end > 1; end -= 1) {
    const name = segments[end - 1];
    if (name === 'destination' || name === 'mirror') {
      return text(record(at({ spec: object.spec }, segments.slice(0, end)))?.host);
    }
  }
  return undefined;
}

function targetsOf(lookup: Lookup, finding: Finding): Target[] {
  const { object: ref } = finding;
  if (ref.kind === 'Service') {
    const service = lookup.serviceByFqdn.get(toFqdn(ref.name, ref.namespace));
    return service ? [{ kind: 'service', service }] : [];
  }
  if (ref.kind === 'Pod') {
    const pod = lookup.config.pods.find((item) => item.namespace === ref.namespace && item.name === ref.name);
    const workload = pod && lookup.workloads.get(`${pod.namespace}/${pod.workload}`);
    return workload ? [{ kind: 'workload', workload }] : [];
  }
  const object = lookup.istio.get(`${ref.kind}/${ref.namespace}/${ref.name}`);
  if (!object) return [];
  const scope = object.namespace === lookup.config.rootNamespace ? undefined : object.namespace;
  switch (object.kind) {
    case 'VirtualService': {
      const host = destinationHost(object, finding.path);
      const hosts = host ? [host] : texts(object.spec.hosts);
      return hosts.flatMap((entry) => hostTargets(lookup, entry, object.namespace));
    }
    case 'DestinationRule': {
      const host = text(object.spec.host);
      return host ? hostTargets(lookup, host, object.namespace) : [];
    }
    case 'ServiceEntry':
      return [{ kind: 'serviceentry', namespace: object.namespace, name: object.name }];
    case 'Gateway':
      return selectedWorkloads(lookup, labelMap(object.spec.selector));
    case 'Sidecar':
    case 'EnvoyFilter':
      return selectedWorkloads(lookup, labelMap(record(object.spec.workloadSelector)?.labels), scope);
    case 'AuthorizationPolicy':
    case 'PeerAuthentication':
    case 'RequestAuthentication':
    case 'Telemetry':
      return selectedWorkloads(lookup, labelMap(record(object.spec.selector)?.matchLabels), scope);
    default:
      return [];
  }
}

function nodeIsWorkload(node: GraphNode, workload: WorkloadInfo): boolean {
  if (node.namespace !== workload.namespace || node.isBox) return false;
  if (node.kind === 'workload') return node.name === workload.name;
  if (node.kind === 'app') {
    return (
      node.app === canonicalApp(workload) &&
      (node.version === undefined || node.version === canonicalVersion(workload))
    );
  }
  return false;
}

/** Graph node id -> the findings that concern it; nodes without findings are absent. */
export function findingsByGraphNode(
  nodes: readonly GraphNode[],
  findings: readonly Finding[],
  config: ConfigSnapshot,
): Map<string, NodeFindings> {
  const lookup: Lookup = {
    config,
    serviceByFqdn: new Map(config.services.map((service) => [service.fqdn, service])),
    istio: new Map(
      config.istio.map((object) => [`${object.kind}/${object.namespace}/${object.name}`, object]),
    ),
    workloads: new Map(
      config.workloads.map((workload) => [`${workload.namespace}/${workload.name}`, workload]),
    ),
  };
  const result = new Map<string, NodeFindings>();
  const mark = (node: GraphNode, finding: Finding) => {
    const entry = result.get(node.id) ?? { error: 0, warning: 0, info: 0, severity: 'info', objects: [] };
    entry[finding.severity] += 1;
    entry.severity = SEVERITY_ORDER.find((severity) => entry[severity] > 0) ?? 'info';
    const { object } = finding;
    if (
      !entry.objects.some(
        (o) => o.kind === object.kind && o.namespace === object.namespace && o.name === object.name,
      )
    )
      entry.objects.push(object);
    result.set(node.id, entry);
  };
  for (const finding of findings) {
    const marked = new Set<GraphNode>();
    for (const target of targetsOf(lookup, finding)) {
      if (target.kind === 'serviceentry') {
        for (const node of nodes)
          if (
            node.kind === 'serviceentry' &&
            node.namespace === target.namespace &&
            node.name === target.name
          )
            marked.add(node);
      } else if (target.kind === 'service') {
        const { service } = target;
        const serviceNodes = nodes.filter(
          (node) =>
            node.kind === 'service' && node.namespace === service.namespace && node.name === service.name,
        );
        const workloads =
          serviceNodes.length > 0 || Object.keys(service.selector).length === 0
            ? []
            : config.workloads.filter(
                (workload) =>
                  workload.namespace === service.namespace &&
                  selectorMatches(service.selector, workload.labels),
              );
        for (const node of serviceNodes) marked.add(node);
        for (const workload of workloads)
          for (const node of nodes) if (nodeIsWorkload(node, workload)) marked.add(node);
      } else {
        for (const node of nodes) if (nodeIsWorkload(node, target.workload)) marked.add(node);
      }
    }
    for (const node of marked) mark(node, finding);
  }
  return result;
}
