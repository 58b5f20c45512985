import 'server-only';
import { configMatcher, endpointPods } from '@/lib/services/applies';
import { neighbourhood, serviceNodeId } from '@/lib/services/neighbourhood';
import type { MeshListQuery, ServiceQuery } from '@/lib/services/params';
import { countFindings, p95ByService, serviceTraffic, sidecarCoverage } from '@/lib/services/summary';
import { isWeighted, splitRoutes } from '@/lib/traffic-split/routes';
import type { GraphNode } from '@/lib/types/graph';
import type { PodInfo, ServiceInfo } from '@/lib/types/mesh-config';
import type {
  AppliedConfig,
  ServiceDetail,
  ServiceEndpoint,
  ServiceSummary,
  ServicesResponse,
  ServiceTrafficSplit,
} from '@/lib/types/services';
import { toFqdn } from '@/lib/validation/hosts';
import type { CachedPod } from './cache/projections';
import { getResourceCaches } from './cache/resource-caches';
import { AppError } from './errors';
import { type MeshContext, objectKey, readMeshContext } from './services-context';
import { externalLinks } from './services-links';

/**
 * `GET /api/services` and `GET /api/services/NAMESPACE/NAME` (docs/api.md): each Service with its
 * health and inbound traffic from the graph pipeline, the sidecar coverage of its pods, the Istio
 * configuration that applies (lib/services/applies) and the findings of all of it.
 */

function fqdnOf(service: ServiceInfo): string {
  return service.fqdn || toFqdn(service.name, service.namespace);
}

/** The context with the lookups every row needs, built once per request. */
interface Lookups {
  context: MeshContext;
  nodes: Map<string, GraphNode>;
  p95: Map<string, number>;
  pods: Map<string, PodInfo[]>;
  match: (service: ServiceInfo) => AppliedConfig[];
}

function lookups(context: MeshContext): Lookups {
  const pods = new Map<string, PodInfo[]>();
  for (const pod of context.config.pods) {
    const list = pods.get(pod.namespace);
    if (list) list.push(pod);
    else pods.set(pod.namespace, [pod]);
  }
  return {
    context,
    nodes: new Map(context.graph.nodes.map((node) => [node.id, node])),
    p95: p95ByService(context.telemetry?.durations ?? []),
    pods,
    match: configMatcher(context.config.istio, context.config.pods),
  };
}

function summarise(service: ServiceInfo, lookup: Lookups): ServiceSummary {
  const { context } = lookup;
  const node = lookup.nodes.get(serviceNodeId(service.namespace, service.name));
  const sidecar = sidecarCoverage(endpointPods(service, lookup.pods.get(service.namespace) ?? []));
  const config = lookup.match(service);
  const findings = [
    ...(context.findingsByObject.get(objectKey({ kind: 'Service', ...service })) ?? []),
    ...config.flatMap((object) => context.findingsByObject.get(objectKey(object)) ?? []),
  ];
  const fqdn = fqdnOf(service);
  return {
    namespace: service.namespace,
    name: service.name,
    fqdn,
    type: service.type ?? 'ClusterIP',
    health: node?.health ?? { status: 'na', errorRate: 0 },
    traffic: serviceTraffic(node, lookup.p95.get(fqdn) ?? null),
    sidecar: sidecar.coverage,
    pods: { total: sidecar.total, withSidecar: sidecar.withSidecar },
    config,
    findings: countFindings(findings),
  };
}

export async function listServices(query: MeshListQuery): Promise<ServicesResponse> {
  const context = await readMeshContext(query.namespaces, query.duration);
  const wanted = new Set(query.namespaces);
  const lookup = lookups(context);
  const items = context.config.services
    .filter((service) => wanted.size === 0 || wanted.has(service.namespace))
    .map((service) => summarise(service, lookup))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return {
    duration: query.duration,
    items,
    telemetry: context.telemetryInfo,
    warnings: context.warnings,
  };
}

/** Readiness from the pods cache (the snapshot keeps the phase only). */
function readyPods(namespace: string): Map<string, boolean> {
  const ready = new Map<string, boolean>();
  const pods = getResourceCaches().cache('pods').list(namespace) as readonly CachedPod[];
  for (const pod of pods) ready.set(pod.metadata.name, pod.status.ready);
  return ready;
}

function endpointsOf(pods: readonly PodInfo[], ready: Map<string, boolean>): ServiceEndpoint[] {
  return pods
    .map((pod) => ({
      pod: pod.name,
      ip: pod.podIP,
      ready: ready.get(pod.name) ?? pod.phase === 'Running',
      workload: pod.workload,
      sidecar: pod.sidecar,
      phase: pod.phase,
    }))
    .sort((a, b) => a.pod.localeCompare(b.pod));
}

function trafficSplitsOf(summary: ServiceSummary, context: MeshContext): ServiceTrafficSplit[] {
  const splits: ServiceTrafficSplit[] = [];
  for (const applied of summary.config) {
    if (applied.kind !== 'VirtualService') continue;
    const object = context.config.istio.find(
      (item) =>
        item.kind === 'VirtualService' && item.namespace === applied.namespace && item.name === applied.name,
    );
    if (!object) continue;
    const routes = splitRoutes(object.spec).filter((route) =>
      route.destinations.some((destination) => toFqdn(destination.host, object.namespace) === summary.fqdn),
    );
    if (routes.length === 0) continue;
    splits.push({ namespace: object.namespace, name: object.name, routes, weighted: isWeighted(routes) });
  }
  return splits;
}

export async function getService(query: ServiceQuery): Promise<ServiceDetail> {
  const context = await readMeshContext([query.namespace], query.duration);
  const service = context.config.services.find(
    (item) => item.namespace === query.namespace && item.name === query.name,
  );
  if (!service) {
    throw new AppError('not-found', `Service ${query.namespace}/${query.name} was not found in the cluster.`);
  }
  const summary = summarise(service, lookups(context));
  const focus = serviceNodeId(service.namespace, service.name);
  return {
    namespace: service.namespace,
    name: service.name,
    fqdn: summary.fqdn,
    type: summary.type,
    labels: service.labels,
    selector: service.selector,
    health: summary.health,
    traffic: summary.traffic,
    sidecar: summary.sidecar,
    ports: service.ports.map((port) => ({
      name: port.name,
      port: port.port,
      protocol: port.protocol,
      ...(port.appProtocol !== undefined ? { appProtocol: port.appProtocol } : {}),
      targetPort: port.targetPort,
    })),
    endpoints: endpointsOf(endpointPods(service, context.config.pods), readyPods(service.namespace)),
    config: summary.config.map((applied) => ({
      ...applied,
      findings: context.findingsByObject.get(objectKey(applied)) ?? [],
    })),
    findings: context.findingsByObject.get(objectKey({ kind: 'Service', ...service })) ?? [],
    trafficSplits: trafficSplitsOf(summary, context),
    neighbourhood: neighbourhood(context.graph, focus),
    duration: query.duration,
    telemetry: context.telemetryInfo,
    links: externalLinks({ namespace: service.namespace, service: service.name, duration: query.duration }),
    warnings: context.warnings,
  };
}
