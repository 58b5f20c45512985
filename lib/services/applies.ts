/**
 * Which Istio objects apply to a Kubernetes Service, and why, as Kiali's service page lists them:
 *
 * - a VirtualService whose `hosts` name the service (mesh-bound: no `gateways`, or `mesh` among
 *   them), or whose routes (http, tcp, tls, mirrors) send to it;
 * - a DestinationRule whose `host` names the service;
 * - a Gateway a VirtualService that applies is bound to, or one whose selector picks the service's
 *   pods (the ingress gateway's own Service);
 * - a ServiceEntry whose `hosts` name the service, or whose `workloadSelector` picks its pods.
 *
 * Short hosts are relative to the namespace of the object that writes them; a leading `*` is a
 * wildcard. A VirtualService `hosts: ['*']` bound only to gateways applies through its routes.
 */

import type { IstioObject, PodInfo, ServiceInfo } from '../types/mesh-config';
import type { AppliedConfig } from '../types/services';
import { hostCovers, toFqdn } from '../validation/hosts';
import { labelMap, record, records, text, texts } from '../validation/spec';

/** The destination hosts a VirtualService's routes (and mirrors) send to, as written. */
export function routeDestinationHosts(spec: Record<string, unknown>): string[] {
  const hosts: string[] = [];
  for (const protocol of ['http', 'tcp', 'tls'] as const) {
    for (const route of records(spec[protocol])) {
      for (const entry of records(route.route)) {
        const host = text(record(entry.destination)?.host);
        if (host) hosts.push(host);
      }
      const mirror = text(record(route.mirror)?.host);
      if (mirror) hosts.push(mirror);
      for (const entry of records(route.mirrors)) {
        const host = text(record(entry.destination)?.host);
        if (host) hosts.push(host);
      }
    }
  }
  return [...new Set(hosts)];
}

/** Whether a VirtualService is applied to sidecars (no gateways, or `mesh` among them). */
export function isMeshBound(spec: Record<string, unknown>): boolean {
  const gateways = texts(spec.gateways);
  return gateways.length === 0 || gateways.includes('mesh');
}

/** The gateways a VirtualService binds to, as `namespace/name` (short names are in its namespace). */
export function boundGateways(object: IstioObject): string[] {
  const names = new Set<string>();
  for (const gateway of texts(object.spec.gateways)) names.add(gateway);
  for (const protocol of ['http', 'tcp', 'tls'] as const) {
    for (const route of records(object.spec[protocol])) {
      for (const match of records(route.match))
        for (const gateway of texts(match.gateways)) names.add(gateway);
    }
  }
  names.delete('mesh');
  return [...names].map((name) => (name.includes('/') ? name : `${object.namespace}/${name}`));
}

function coveredBy(hosts: readonly string[], namespace: string, fqdn: string): string | undefined {
  return hosts.find((host) => hostCovers(toFqdn(host, namespace), fqdn));
}

function podsOf(service: ServiceInfo, pods: readonly PodInfo[]): PodInfo[] {
  if (Object.keys(service.selector).length === 0) return [];
  return pods.filter(
    (pod) =>
      pod.namespace === service.namespace &&
      Object.entries(service.selector).every(([key, value]) => pod.labels[key] === value),
  );
}

function selects(selector: Record<string, string>, pods: readonly PodInfo[], namespace?: string): boolean {
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  return pods.some(
    (pod) =>
      (namespace === undefined || pod.namespace === namespace) &&
      entries.every(([key, value]) => pod.labels[key] === value),
  );
}

function virtualServiceReason(object: IstioObject, fqdn: string): string | undefined {
  const host = isMeshBound(object.spec)
    ? coveredBy(texts(object.spec.hosts), object.namespace, fqdn)
    : undefined;
  if (host !== undefined) return `hosts include ${host}`;
  const destination = coveredBy(routeDestinationHosts(object.spec), object.namespace, fqdn);
  if (destination !== undefined) return `routes send to ${destination}`;
  return undefined;
}

const KIND_ORDER = ['VirtualService', 'DestinationRule', 'Gateway', 'ServiceEntry'];

/**
 * The VirtualServices, DestinationRules, Gateways and ServiceEntries of `istio` that apply to
 * `service`, each with the reason, sorted by kind then namespace and name. `pods` are the
 * cluster's pods (to find those the service selects).
 */
export function configApplyingTo(
  service: ServiceInfo,
  istio: readonly IstioObject[],
  pods: readonly PodInfo[],
): AppliedConfig[] {
  const fqdn = service.fqdn || toFqdn(service.name, service.namespace);
  const found = new Map<string, AppliedConfig>();
  const add = (object: IstioObject, reason: string) => {
    const key = `${object.kind}/${object.namespace}/${object.name}`;
    if (!found.has(key))
      found.set(key, { kind: object.kind, namespace: object.namespace, name: object.name, reason });
  };
  const servicePods = podsOf(service, pods);
  const gatewaysOfVirtualServices = new Map<string, string>();

  for (const object of istio) {
    if (object.kind === 'VirtualService') {
      const reason = virtualServiceReason(object, fqdn);
      if (reason === undefined) continue;
      add(object, reason);
      for (const gateway of boundGateways(object)) {
        if (!gatewaysOfVirtualServices.has(gateway))
          gatewaysOfVirtualServices.set(gateway, `${object.namespace}/${object.name}`);
      }
    } else if (object.kind === 'DestinationRule') {
      const host = text(object.spec.host);
      if (host && hostCovers(toFqdn(host, object.namespace), fqdn)) add(object, `host ${host}`);
    } else if (object.kind === 'ServiceEntry') {
      const host = coveredBy(texts(object.spec.hosts), object.namespace, fqdn);
      if (host !== undefined) add(object, `hosts include ${host}`);
      else if (selects(labelMap(record(object.spec.workloadSelector)?.labels), servicePods, object.namespace))
        add(object, 'its workloadSelector picks the service’s pods');
    }
  }
  for (const object of istio) {
    if (object.kind !== 'Gateway') continue;
    const via = gatewaysOfVirtualServices.get(`${object.namespace}/${object.name}`);
    if (via !== undefined) add(object, `VirtualService ${via} is bound to it`);
    else if (selects(labelMap(object.spec.selector), servicePods))
      add(object, 'it runs on the service’s pods');
  }
  return [...found.values()].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      a.namespace.localeCompare(b.namespace) ||
      a.name.localeCompare(b.name),
  );
}

/** Every host an object names (resolved), for the index below. */
function namedHosts(object: IstioObject): string[] {
  switch (object.kind) {
    case 'VirtualService':
      return [...texts(object.spec.hosts), ...routeDestinationHosts(object.spec)].map((host) =>
        toFqdn(host, object.namespace),
      );
    case 'DestinationRule': {
      const host = text(object.spec.host);
      return host ? [toFqdn(host, object.namespace)] : [];
    }
    case 'ServiceEntry':
      return texts(object.spec.hosts).map((host) => toFqdn(host, object.namespace));
    default:
      return [];
  }
}

function hasSelector(object: IstioObject): boolean {
  if (object.kind === 'Gateway') return Object.keys(labelMap(object.spec.selector)).length > 0;
  if (object.kind === 'ServiceEntry')
    return Object.keys(labelMap(record(object.spec.workloadSelector)?.labels)).length > 0;
  return false;
}

/**
 * `configApplyingTo` for many services at once: the objects are indexed by the hosts they name
 * (wildcards and selectors kept aside) and the pods by namespace, so each service looks only at
 * the objects that can apply to it instead of every object of the mesh.
 */
export function configMatcher(
  istio: readonly IstioObject[],
  pods: readonly PodInfo[],
): (service: ServiceInfo) => AppliedConfig[] {
  const byHost = new Map<string, IstioObject[]>();
  const always: IstioObject[] = [];
  const gateways = new Map<string, IstioObject>();
  for (const object of istio) {
    if (object.kind === 'Gateway') gateways.set(`${object.namespace}/${object.name}`, object);
    const hosts = namedHosts(object);
    if (hasSelector(object) || hosts.some((host) => host.startsWith('*'))) {
      always.push(object);
      continue;
    }
    for (const host of new Set(hosts)) {
      const list = byHost.get(host);
      if (list) list.push(object);
      else byHost.set(host, [object]);
    }
  }
  const podsByNamespace = new Map<string, PodInfo[]>();
  for (const pod of pods) {
    const list = podsByNamespace.get(pod.namespace);
    if (list) list.push(pod);
    else podsByNamespace.set(pod.namespace, [pod]);
  }
  return (service) => {
    const fqdn = service.fqdn || toFqdn(service.name, service.namespace);
    const candidates = new Set([...(byHost.get(fqdn) ?? []), ...always]);
    for (const object of [...candidates]) {
      if (object.kind !== 'VirtualService') continue;
      for (const key of boundGateways(object)) {
        const gateway = gateways.get(key);
        if (gateway) candidates.add(gateway);
      }
    }
    return configApplyingTo(service, [...candidates], podsByNamespace.get(service.namespace) ?? []);
  };
}

/** The pods a service selects (its endpoints' pods), in its namespace; none without a selector. */
export function endpointPods(service: ServiceInfo, pods: readonly PodInfo[]): PodInfo[] {
  return podsOf(service, pods);
}
