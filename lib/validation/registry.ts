import type { IstioObject, ServiceInfo } from '../types/mesh-config';
import { HostIndex } from './host-index';
import {
  type ExportScope,
  exportScope,
  exportToAnnotation,
  hostCovers,
  isWildcardHost,
  toFqdn,
  visibleIn,
} from './hosts';
import { integer, labelMap, records, text, texts } from './spec';

export interface RegistryPort {
  number: number;
  name: string;
  protocol: string;
}

/**
 * One host of the service registry: a Kubernetes Service (Istio treats it as a one-host
 * ServiceEntry) or one host of a ServiceEntry, with the namespaces that see it.
 */
export interface RegistryEntry {
  /** FQDN, or a wildcard (`*.example.com`) for ServiceEntries */
  host: string;
  namespace: string;
  scope: ExportScope;
  ports: readonly RegistryPort[];
  source: { kind: 'Service'; service: ServiceInfo } | { kind: 'ServiceEntry'; object: IstioObject };
  /** a ServiceEntry's `workloadSelector.labels` (its endpoints are the pods it selects) */
  workloadSelector?: Readonly<Record<string, string>>;
}

/**
 * The hosts destinations can name: Services and ServiceEntry hosts, looked up the way
 * `istioctl analyze` does (`analyzers/util/service_lookup.go`): an exact host exported everywhere,
 * then an exact host exported to one of the asking namespaces, then a wildcard ServiceEntry host
 * visible there whose suffix the host ends with.
 */
export class Registry {
  private readonly hosts = new HostIndex<RegistryEntry>();
  private readonly bySource = new Map<ServiceInfo | IstioObject, RegistryEntry[]>();

  constructor(private readonly clusterDomain: string) {}

  addService(service: ServiceInfo): void {
    const entry: RegistryEntry = {
      host: service.fqdn || toFqdn(service.name, service.namespace, this.clusterDomain),
      namespace: service.namespace,
      scope: exportScope(exportToAnnotation(service.annotations), service.namespace),
      ports: service.ports.map((port) => ({ number: port.port, name: port.name, protocol: port.protocol })),
      source: { kind: 'Service', service },
    };
    this.file(service, [entry]);
  }

  addServiceEntry(object: IstioObject): void {
    const spec = object.spec;
    const scope = exportScope(texts(spec.exportTo), object.namespace);
    const ports = records(spec.ports).map((port) => ({
      number: integer(port.number) ?? 0,
      name: text(port.name) ?? '',
      protocol: text(port.protocol) ?? '',
    }));
    const selector = labelMap(records([spec.workloadSelector])[0]?.labels);
    const entries = texts(spec.hosts).map(
      (host): RegistryEntry => ({
        host: toFqdn(host, object.namespace, this.clusterDomain),
        namespace: object.namespace,
        scope,
        ports,
        source: { kind: 'ServiceEntry', object },
        workloadSelector: Object.keys(selector).length > 0 ? selector : undefined,
      }),
    );
    this.file(object, entries);
  }

  remove(source: ServiceInfo | IstioObject): void {
    for (const entry of this.bySource.get(source) ?? []) this.hosts.remove(entry);
    this.bySource.delete(source);
  }

  /** The entry a destination `host` (already an FQDN) resolves to, seen from `namespaces`. */
  resolve(host: string, namespaces: readonly string[]): RegistryEntry | undefined {
    const exact = this.hosts.exactly(host);
    const everywhere = exact.find((entry) => entry.scope.all);
    if (everywhere) return everywhere;
    const scoped = exact.find((entry) => namespaces.some((namespace) => visibleIn(entry.scope, namespace)));
    if (scoped) return scoped;
    const bare = isWildcardHost(host) ? host.slice(1) : host;
    for (const entry of this.hosts.covering(host)) {
      if (!isWildcardHost(entry.host)) continue;
      if (!entry.scope.all && !namespaces.some((namespace) => visibleIn(entry.scope, namespace))) continue;
      if (bare.endsWith(entry.host.slice(1))) return entry;
    }
    return undefined;
  }

  /** Every entry whose host overlaps `host` (wildcards on either side), visible from `namespace`. */
  overlapping(host: string, namespace?: string): RegistryEntry[] {
    return this.hosts
      .overlapping(host)
      .filter((entry) => namespace === undefined || visibleIn(entry.scope, namespace));
  }

  /** Entries whose host `pattern` covers, visible from `namespace`. */
  coveredBy(pattern: string, namespace?: string): RegistryEntry[] {
    return this.overlapping(pattern, namespace).filter((entry) => hostCovers(pattern, entry.host));
  }

  private file(source: ServiceInfo | IstioObject, entries: RegistryEntry[]): void {
    this.bySource.set(source, entries);
    for (const entry of entries) this.hosts.add(entry.host, entry);
  }
}
