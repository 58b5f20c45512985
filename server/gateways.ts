import 'server-only';
import {
  boundVirtualServices,
  externalTraffic,
  gatewayServers,
  gatewayWorkloads,
  isUnregistered,
  serviceEntryEndpoints,
  serviceEntryPorts,
  toServiceEntry,
} from '@/lib/gateways/gateways';
import type { MeshListQuery } from '@/lib/services/params';
import type {
  GatewaySummary,
  GatewaysResponse,
  GatewayTraffic,
  ServiceEntriesResponse,
  ServiceEntrySummary,
} from '@/lib/types/gateways';
import type { PodInfo } from '@/lib/types/mesh-config';
import { texts } from '@/lib/validation/spec';
import type { CachedPod } from './cache/projections';
import { getResourceCaches } from './cache/resource-caches';
import { type MeshContext, objectKey, readMeshContext } from './services-context';

/**
 * `GET /api/gateways` and `GET /api/serviceentries` (docs/api.md): how traffic enters the mesh
 * (each Gateway, its servers, the pods it runs on, the VirtualServices bound to it and the
 * requests its workload sends into the mesh) and which external hosts the mesh reaches.
 */

function readiness(): (pod: PodInfo) => boolean {
  const pods = getResourceCaches().cache('pods').list() as readonly CachedPod[];
  const ready = new Map(
    pods.map((pod) => [`${pod.metadata.namespace}/${pod.metadata.name}`, pod.status.ready]),
  );
  return (pod) => ready.get(`${pod.namespace}/${pod.name}`) ?? pod.phase === 'Running';
}

function inScope(namespaces: readonly string[]): (object: { namespace: string }) => boolean {
  const wanted = new Set(namespaces);
  return (object) => wanted.size === 0 || wanted.has(object.namespace);
}

/** Requests from the gateway's workloads to each service, from the graph's edges. */
function gatewayTraffic(summary: Pick<GatewaySummary, 'workloads'>, context: MeshContext): GatewayTraffic[] {
  const sources = new Set(summary.workloads.map((workload) => `wl:${workload.namespace}:${workload.name}`));
  const nodes = new Map(context.graph.nodes.map((node) => [node.id, node]));
  const traffic: GatewayTraffic[] = [];
  for (const edge of context.graph.edges) {
    if (!sources.has(edge.source) || edge.rps <= 0) continue;
    const target = nodes.get(edge.target);
    if (!target) continue;
    traffic.push({
      service: target.service ?? target.name,
      namespace: target.namespace,
      requestRate: edge.rps,
      errorRate: edge.errorRate,
    });
  }
  return traffic.sort((a, b) => b.requestRate - a.requestRate);
}

export async function listGateways(query: MeshListQuery): Promise<GatewaysResponse> {
  const context = await readMeshContext(query.namespaces, query.duration);
  const ready = readiness();
  const items = context.config.istio
    .filter((object) => object.kind === 'Gateway')
    .filter(inScope(query.namespaces))
    .map((gateway): GatewaySummary => {
      const workloads = gatewayWorkloads(gateway, context.config.pods, ready);
      const traffic = gatewayTraffic({ workloads }, context);
      return {
        namespace: gateway.namespace,
        name: gateway.name,
        selector: Object.fromEntries(
          Object.entries(gateway.spec.selector ?? {}).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string',
          ),
        ),
        servers: gatewayServers(gateway.spec),
        workloads,
        virtualServices: boundVirtualServices(gateway, context.config.istio),
        traffic,
        totalRequestRate: traffic.reduce((sum, item) => sum + item.requestRate, 0),
        findings: context.findingsByObject.get(objectKey(gateway)) ?? [],
      };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { duration: query.duration, items, telemetry: context.telemetryInfo, warnings: context.warnings };
}

export async function listServiceEntries(query: MeshListQuery): Promise<ServiceEntriesResponse> {
  const context = await readMeshContext(query.namespaces, query.duration);
  const samples = context.telemetry?.requests ?? [];
  const items = context.config.istio
    .filter((object) => object.kind === 'ServiceEntry')
    .filter(inScope(query.namespaces))
    .map(
      (entry): ServiceEntrySummary => ({
        namespace: entry.namespace,
        name: entry.name,
        hosts: texts(entry.spec.hosts),
        location: typeof entry.spec.location === 'string' ? entry.spec.location : 'MESH_EXTERNAL',
        resolution: typeof entry.spec.resolution === 'string' ? entry.spec.resolution : 'NONE',
        ports: serviceEntryPorts(entry.spec),
        addresses: texts(entry.spec.addresses),
        endpoints: serviceEntryEndpoints(entry.spec),
        exportTo: texts(entry.spec.exportTo),
        traffic: externalTraffic(samples, toServiceEntry(entry)),
        findings: context.findingsByObject.get(objectKey(entry)) ?? [],
      }),
    )
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const callers = inScope(query.namespaces);
  return {
    duration: query.duration,
    items,
    unregistered: externalTraffic(samples, isUnregistered).filter((item) => callers(item.source)),
    telemetry: context.telemetryInfo,
    warnings: context.warnings,
  };
}
