/**
 * Gateways and ServiceEntries in words the pages show: a Gateway's servers, the pods it runs on,
 * the VirtualServices bound to it; a ServiceEntry's hosts, ports and resolution; and the requests
 * that reach external hosts (through a ServiceEntry, `PassthroughCluster` or `BlackHoleCluster`).
 */
import { boundGateways, routeDestinationHosts } from '../services/applies';
import type {
  BoundVirtualService,
  ExternalTraffic,
  GatewayServer,
  GatewayWorkload,
  ServiceEntryPort,
} from '../types/gateways';
import type { IstioObject, PodInfo } from '../types/mesh-config';
import type { RequestSample } from '../types/telemetry';
import { hostCovers, toFqdn } from '../validation/hosts';
import { integer, labelMap, record, records, text, texts } from '../validation/spec';

/** Istio's names for traffic leaving the mesh without a ServiceEntry, and refused traffic. */
export const PASSTHROUGH_CLUSTER = 'PassthroughCluster' as const;
export const BLACKHOLE_CLUSTER = 'BlackHoleCluster' as const;

export function gatewayServers(spec: Record<string, unknown>): GatewayServer[] {
  return records(spec.servers).map((server) => {
    const port = record(server.port) ?? {};
    const tls = record(server.tls);
    const mode = text(tls?.mode);
    const credentialName = text(tls?.credentialName);
    const result: GatewayServer = {
      port: integer(port.number) ?? 0,
      portName: text(port.name) ?? '',
      protocol: (text(port.protocol) ?? '').toUpperCase(),
      hosts: texts(server.hosts),
    };
    if (mode !== undefined) result.tlsMode = mode;
    if (credentialName !== undefined) result.credentialName = credentialName;
    if (tls?.httpsRedirect === true) result.httpsRedirect = true;
    return result;
  });
}

/**
 * The pods a Gateway's selector picks, grouped by workload. Istio applies a Gateway to matching
 * gateway pods in every namespace (unless PILOT_SCOPE_GATEWAY_TO_NAMESPACE), so all are searched.
 */
export function gatewayWorkloads(
  gateway: IstioObject,
  pods: readonly PodInfo[],
  ready: (pod: PodInfo) => boolean,
): GatewayWorkload[] {
  const selector = Object.entries(labelMap(gateway.spec.selector));
  if (selector.length === 0) return [];
  const byWorkload = new Map<string, GatewayWorkload>();
  for (const pod of pods) {
    if (!selector.every(([key, value]) => pod.labels[key] === value)) continue;
    const key = `${pod.namespace}/${pod.workload}`;
    const workload = byWorkload.get(key) ?? { namespace: pod.namespace, name: pod.workload, pods: [] };
    workload.pods.push({ name: pod.name, ready: ready(pod), ip: pod.podIP });
    byWorkload.set(key, workload);
  }
  return [...byWorkload.values()].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
}

/** The VirtualServices bound to a Gateway (`gateways:` or a route match's `gateways:`). */
export function boundVirtualServices(
  gateway: IstioObject,
  istio: readonly IstioObject[],
): BoundVirtualService[] {
  const key = `${gateway.namespace}/${gateway.name}`;
  return istio
    .filter((object) => object.kind === 'VirtualService' && boundGateways(object).includes(key))
    .map((object) => ({
      namespace: object.namespace,
      name: object.name,
      hosts: texts(object.spec.hosts),
      destinations: routeDestinationHosts(object.spec).map((host) => toFqdn(host, object.namespace)),
    }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

export function serviceEntryPorts(spec: Record<string, unknown>): ServiceEntryPort[] {
  return records(spec.ports).map((port) => {
    const targetPort = integer(port.targetPort);
    return {
      number: integer(port.number) ?? 0,
      name: text(port.name) ?? '',
      protocol: (text(port.protocol) ?? '').toUpperCase(),
      ...(targetPort !== undefined ? { targetPort } : {}),
    };
  });
}

/** A ServiceEntry's `endpoints` as `address` or `address:port,...`. */
export function serviceEntryEndpoints(spec: Record<string, unknown>): string[] {
  return records(spec.endpoints).map((endpoint) => {
    const address = text(endpoint.address) ?? '';
    const ports = Object.values(record(endpoint.ports) ?? {}).filter((value) => typeof value === 'number');
    return ports.length > 0 ? `${address}:${ports.join(',')}` : address;
  });
}

function failed(sample: RequestSample): boolean {
  return sample.responseCode === '0' || sample.responseCode.startsWith('5');
}

/**
 * Requests to external hosts, per caller workload and host. Only the callers' sidecars see these
 * (no sidecar answers on the other side), so source-reported samples are read.
 */
export function externalTraffic(
  samples: readonly RequestSample[],
  isExternal: (sample: RequestSample) => boolean,
): ExternalTraffic[] {
  const grouped = new Map<string, { entry: ExternalTraffic; failed: number }>();
  for (const sample of samples) {
    if (sample.reporter !== 'source' || sample.rate <= 0 || !isExternal(sample)) continue;
    const cluster = unregisteredCluster(sample);
    // Istio names an unregistered HTTP host in destination_service; TCP leaves it `unknown`.
    const fqdn = sample.service.fqdn === 'unknown' ? '' : sample.service.fqdn;
    const host = fqdn || sample.service.name;
    const key = `${sample.source.namespace}/${sample.source.workload}|${host}|${cluster ?? ''}`;
    const current = grouped.get(key) ?? {
      entry: {
        source: { namespace: sample.source.namespace, workload: sample.source.workload },
        host,
        ...(cluster ? { cluster } : {}),
        requestRate: 0,
        errorRate: 0,
      },
      failed: 0,
    };
    current.entry.requestRate += sample.rate;
    if (failed(sample)) current.failed += sample.rate;
    grouped.set(key, current);
  }
  return [...grouped.values()]
    .map(({ entry, failed: failedRate }) => ({
      ...entry,
      errorRate: entry.requestRate > 0 ? failedRate / entry.requestRate : 0,
    }))
    .sort((a, b) => b.requestRate - a.requestRate || a.host.localeCompare(b.host));
}

/**
 * The Envoy cluster an unregistered request went through. Istio reports it as
 * `destination_service_name` (with the request's host as `destination_service`).
 */
export function unregisteredCluster(
  sample: RequestSample,
): typeof PASSTHROUGH_CLUSTER | typeof BLACKHOLE_CLUSTER | undefined {
  const names = [sample.service.name, sample.service.fqdn, sample.destination.workload];
  if (names.includes(PASSTHROUGH_CLUSTER)) return PASSTHROUGH_CLUSTER;
  if (names.includes(BLACKHOLE_CLUSTER)) return BLACKHOLE_CLUSTER;
  return undefined;
}

/** Whether a sample went to `PassthroughCluster` or `BlackHoleCluster`. */
export function isUnregistered(sample: RequestSample): boolean {
  return unregisteredCluster(sample) !== undefined;
}

/** Whether a sample went to one of a ServiceEntry's hosts (not around it, unregistered). */
export function toServiceEntry(entry: IstioObject): (sample: RequestSample) => boolean {
  const hosts = texts(entry.spec.hosts).map((host) => toFqdn(host, entry.namespace));
  return (sample) => !isUnregistered(sample) && hosts.some((host) => hostCovers(host, sample.service.fqdn));
}
