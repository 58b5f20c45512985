/**
 * What an Istio object references (hosts, subsets, gateways, delegates, selected workloads, TLS
 * credentials) and which objects reference it, resolved with the validation's index as the
 * checks resolve them.
 */
import type { ConfigReference } from '../types/config';
import type { IstioObject } from '../types/mesh-config';
import { exportScope, visibleIn } from '../validation/hosts';
import { isEmptySelector } from '../validation/labels';
import { destinationsOf, gatewayKey, type MeshIndex } from '../validation/mesh-index';
import { labelMap, record, records, text, texts } from '../validation/spec';

type Reference = ConfigReference;

function hostReference(index: MeshIndex, object: IstioObject, host: string, path: string): Reference {
  const entry = index.registry.resolve(index.fqdn(host, object.namespace), [object.namespace]);
  if (!entry)
    return { kind: 'Service', namespace: '', name: host, via: 'host', path, value: host, resolved: false };
  const source = entry.source;
  return source.kind === 'Service'
    ? {
        kind: 'Service',
        namespace: source.service.namespace,
        name: source.service.name,
        via: 'host',
        path,
        value: host,
        resolved: true,
      }
    : {
        kind: 'ServiceEntry',
        namespace: source.object.namespace,
        name: source.object.name,
        via: 'host',
        path,
        value: host,
        resolved: true,
      };
}

function subsetReference(
  index: MeshIndex,
  object: IstioObject,
  host: string,
  subset: string,
  path: string,
): Reference {
  const rules = index.destinationRulesByHost
    .covering(index.fqdn(host, object.namespace))
    .filter((rule) => visibleIn(exportScope(texts(rule.spec.exportTo), rule.namespace), object.namespace));
  const defining = rules.find((rule) =>
    records(rule.spec.subsets).some((entry) => text(entry.name) === subset),
  );
  const rule = defining ?? rules[0];
  return {
    kind: 'DestinationRule',
    namespace: rule?.namespace ?? '',
    name: rule?.name ?? host,
    via: 'subset',
    path,
    value: subset,
    resolved: defining !== undefined,
  };
}

/** Workloads (by the pods' owner) a selector picks, in `namespace` or everywhere for the root namespace. */
function selected(
  index: MeshIndex,
  object: IstioObject,
  selector: Record<string, string>,
  path: string,
  scope: 'namespace' | 'mesh',
): Reference[] {
  if (isEmptySelector(selector)) return [];
  const namespace =
    scope === 'mesh' || object.namespace === index.rootNamespace ? undefined : object.namespace;
  const value = Object.entries(selector)
    .map(([key, item]) => `${key}=${item}`)
    .join(',');
  const workloads = new Map<string, Reference>();
  for (const pod of index.pods.select(namespace, selector)) {
    workloads.set(`${pod.namespace}/${pod.workload}`, {
      kind: 'Workload',
      namespace: pod.namespace,
      name: pod.workload,
      via: 'selector',
      path,
      value,
      resolved: true,
    });
  }
  if (object.kind === 'ServiceEntry') {
    for (const entry of index.workloadEntries.select(object.namespace, selector)) {
      workloads.set(`WorkloadEntry/${entry.namespace}/${entry.name}`, {
        kind: 'WorkloadEntry',
        namespace: entry.namespace,
        name: entry.name,
        via: 'selector',
        path,
        value,
        resolved: true,
      });
    }
  }
  if (workloads.size === 0) {
    return [
      {
        kind: 'Workload',
        namespace: namespace ?? '',
        name: value,
        via: 'selector',
        path,
        value,
        resolved: false,
      },
    ];
  }
  return [...workloads.values()];
}

function virtualServiceReferences(index: MeshIndex, object: IstioObject): Reference[] {
  const result: Reference[] = [];
  texts(object.spec.hosts).forEach((host, position) => {
    if (host.includes('*')) return;
    const reference = hostReference(index, object, host, `spec.hosts[${position}]`);
    // A VirtualService host may be any name a gateway serves: unresolved only matters for mesh routes.
    if (reference.resolved) result.push(reference);
  });
  for (const destination of destinationsOf(object)) {
    if (!destination.host) continue;
    result.push(hostReference(index, object, destination.host, `${destination.path}.host`));
    if (destination.subset !== undefined) {
      result.push(
        subsetReference(index, object, destination.host, destination.subset, `${destination.path}.subset`),
      );
    }
  }
  texts(object.spec.gateways).forEach((reference, position) => {
    if (reference === 'mesh') return;
    const [namespace = '', name = ''] = gatewayKey(reference, object.namespace).split('/');
    result.push({
      kind: 'Gateway',
      namespace,
      name,
      via: 'gateway',
      path: `spec.gateways[${position}]`,
      value: reference,
      resolved: index.get('Gateway', namespace, name) !== undefined,
    });
  });
  records(object.spec.http).forEach((rule, position) => {
    const delegate = record(rule.delegate);
    const name = text(delegate?.name);
    if (!name) return;
    const namespace = text(delegate?.namespace) || object.namespace;
    result.push({
      kind: 'VirtualService',
      namespace,
      name,
      via: 'delegate',
      path: `spec.http[${position}].delegate`,
      value: `${namespace}/${name}`,
      resolved: index.get('VirtualService', namespace, name) !== undefined,
    });
  });
  return result;
}

function gatewayReferences(index: MeshIndex, object: IstioObject): Reference[] {
  const selector = labelMap(object.spec.selector);
  const workloads = selected(index, object, selector, 'spec.selector', 'mesh');
  const namespaces = new Set(workloads.filter((entry) => entry.resolved).map((entry) => entry.namespace));
  const result = [...workloads];
  records(object.spec.servers).forEach((server, position) => {
    const credential = text(record(server.tls)?.credentialName);
    if (!credential) return;
    const namespace = [...namespaces][0] ?? object.namespace;
    const known =
      index.secrets === undefined ||
      [...namespaces, object.namespace].some((ns) => index.secrets?.has(`${ns}/${credential}`));
    result.push({
      kind: 'Secret',
      namespace,
      name: credential,
      via: 'credentialName',
      path: `spec.servers[${position}].tls.credentialName`,
      value: credential,
      resolved: known,
    });
  });
  return result;
}

/** Everything `object` names. */
export function referencesOf(index: MeshIndex, object: IstioObject): Reference[] {
  switch (object.kind) {
    case 'VirtualService':
      return virtualServiceReferences(index, object);
    case 'DestinationRule': {
      const host = text(object.spec.host);
      return host && !host.includes('*') ? [hostReference(index, object, host, 'spec.host')] : [];
    }
    case 'Gateway':
      return gatewayReferences(index, object);
    case 'Sidecar':
      return selected(
        index,
        object,
        labelMap(record(object.spec.workloadSelector)?.labels),
        'spec.workloadSelector',
        'namespace',
      );
    case 'EnvoyFilter':
      return selected(
        index,
        object,
        labelMap(record(object.spec.workloadSelector)?.labels),
        'spec.workloadSelector',
        'namespace',
      );
    case 'ServiceEntry':
      return selected(
        index,
        object,
        labelMap(record(object.spec.workloadSelector)?.labels),
        'spec.workloadSelector',
        'namespace',
      );
    case 'AuthorizationPolicy':
    case 'PeerAuthentication':
    case 'RequestAuthentication':
    case 'Telemetry':
      return selected(
        index,
        object,
        labelMap(record(object.spec.selector)?.matchLabels),
        'spec.selector',
        'namespace',
      );
    default:
      return [];
  }
}

/** Objects that may name `object`, found through the index rather than by reading every object. */
function candidates(index: MeshIndex, object: IstioObject): Iterable<IstioObject> {
  const result = new Set<IstioObject>();
  const hosts =
    object.kind === 'DestinationRule'
      ? [text(object.spec.host) ?? '']
      : object.kind === 'ServiceEntry'
        ? texts(object.spec.hosts)
        : [];
  for (const host of hosts.filter(Boolean)) {
    for (const item of index.virtualServicesByDestination.overlapping(index.fqdn(host, object.namespace)))
      result.add(item);
    if (object.kind === 'ServiceEntry')
      for (const item of index.destinationRulesByHost.overlapping(index.fqdn(host, object.namespace)))
        result.add(item);
  }
  if (object.kind === 'Gateway') {
    for (const item of index.virtualServicesByGateway.get(`${object.namespace}/${object.name}`) ?? [])
      result.add(item);
  }
  if (object.kind === 'VirtualService')
    for (const item of index.objectsOf('VirtualService')) result.add(item);
  return result;
}

/** The objects that name `object` (the referrer as `kind/namespace/name`, with where and how). */
export function referrersOf(index: MeshIndex, object: IstioObject): Reference[] {
  const result: Reference[] = [];
  for (const candidate of candidates(index, object)) {
    if (
      candidate.kind === object.kind &&
      candidate.namespace === object.namespace &&
      candidate.name === object.name
    )
      continue;
    for (const reference of referencesOf(index, candidate)) {
      const names =
        reference.kind === object.kind &&
        reference.namespace === object.namespace &&
        reference.name === object.name;
      if (!names || (reference.via === 'subset' && !reference.resolved)) continue;
      result.push({
        ...reference,
        kind: candidate.kind,
        namespace: candidate.namespace,
        name: candidate.name,
      });
    }
  }
  return result;
}
