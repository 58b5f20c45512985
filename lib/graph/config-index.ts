/**
 * The configuration snapshot indexed for the graph: workloads by name and by app, the workloads
 * behind each service, the hosts VirtualServices, DestinationRules and ServiceEntries apply to
 * (short hosts resolved in their object's namespace, as Istio does), and which workloads are
 * gateways.
 */
import type { ConfigSnapshot, IstioObject, ServiceInfo, WorkloadInfo } from '../types/mesh-config';

export const clusterDomain = 'svc.cluster.local';

/** `reviews` in `default` -> `reviews.default.svc.cluster.local`; `reviews.prod` -> `reviews.prod.svc.cluster.local`. */
export function resolveHost(host: string, namespace: string): string {
  if (host.includes('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.${clusterDomain}`;
  if (parts.length === 2) return `${host}.${clusterDomain}`;
  return host;
}

/** An exact host, `*.suffix` or `*`. */
export function hostMatches(pattern: string, fqdn: string): boolean {
  if (pattern === '*' || pattern === fqdn) return true;
  return pattern.startsWith('*.') && fqdn.endsWith(pattern.slice(1));
}

export function labelsMatch(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** The app a workload's telemetry names (`source_canonical_service`). */
export function canonicalApp(workload: WorkloadInfo): string {
  return workload.labels['service.istio.io/canonical-name'] ?? workload.app;
}

/** The version its telemetry names (`source_canonical_revision`; Istio says `latest` without one). */
export function canonicalVersion(workload: WorkloadInfo): string {
  return workload.labels['service.istio.io/canonical-revision'] ?? (workload.version || 'latest');
}

/** Objects by the hosts they declare: exact hosts in a map, wildcards scanned. */
function hostIndex(entries: { object: IstioObject; hosts: string[] }[]): (fqdn: string) => IstioObject[] {
  const exact = new Map<string, IstioObject[]>();
  const wildcards: { object: IstioObject; pattern: string }[] = [];
  const position = new Map(entries.map((entry, index) => [entry.object, index]));
  for (const { object, hosts } of entries) {
    for (const host of new Set(hosts)) {
      if (host.includes('*')) wildcards.push({ object, pattern: host });
      else exact.set(host, [...(exact.get(host) ?? []), object]);
    }
  }
  // Every node of a host asks again (service, versions, callers): each host is worked out once.
  const answers = new Map<string, IstioObject[]>();
  return (fqdn) => {
    const known = answers.get(fqdn);
    if (known) return known;
    const exactly = exact.get(fqdn) ?? [];
    if (wildcards.length === 0) {
      answers.set(fqdn, exactly);
      return exactly;
    }
    const found = new Set(exactly);
    for (const { object, pattern } of wildcards) if (hostMatches(pattern, fqdn)) found.add(object);
    const sorted = [...found].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
    answers.set(fqdn, sorted);
    return sorted;
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A VirtualService that routes mesh traffic (no `gateways`, or `mesh` among them). */
function routesMeshTraffic(object: IstioObject): boolean {
  const gateways = strings(object.spec.gateways);
  return gateways.length === 0 || gateways.includes('mesh');
}

export interface ConfigIndex {
  config: ConfigSnapshot;
  workload(namespace: string, name: string): WorkloadInfo | undefined;
  workloadsOfApp(namespace: string, app: string, version?: string): WorkloadInfo[];
  service(fqdn: string): ServiceInfo | undefined;
  workloadsOfService(service: ServiceInfo): WorkloadInfo[];
  /** the services in the workload's namespace whose selector picks it */
  servicesOfWorkload(workload: WorkloadInfo): ServiceInfo[];
  /** the ServiceEntry whose hosts include `host` */
  serviceEntryFor(host: string): IstioObject | undefined;
  /** mesh VirtualServices whose hosts match `fqdn` */
  virtualServicesFor(fqdn: string): IstioObject[];
  destinationRulesFor(fqdn: string): IstioObject[];
  isGateway(workload: WorkloadInfo): boolean;
}

export function indexConfig(config: ConfigSnapshot): ConfigIndex {
  // Keyed by namespace, then name or app: every graph node looks its workloads up (badges and
  // health), and a joined `namespace/name` key would be built and hashed anew for each lookup.
  const workloads = new Map<string, Map<string, WorkloadInfo>>();
  const byApp = new Map<
    string,
    Map<string, { all: WorkloadInfo[]; byVersion?: Map<string, WorkloadInfo[]> }>
  >();
  for (const workload of config.workloads) {
    let named = workloads.get(workload.namespace);
    if (!named) {
      named = new Map();
      workloads.set(workload.namespace, named);
    }
    named.set(workload.name, workload);
    let apps = byApp.get(workload.namespace);
    if (!apps) {
      apps = new Map();
      byApp.set(workload.namespace, apps);
    }
    const app = canonicalApp(workload);
    const entry = apps.get(app);
    if (entry) entry.all.push(workload);
    else apps.set(app, { all: [workload] });
  }
  const services = new Map(config.services.map((service) => [service.fqdn, service]));
  // Selector matching through label indexes: a service's candidates are the workloads carrying
  // one of its selector's pairs; a workload's candidates the services keyed by one of its labels.
  const pair = (namespace: string, key: string, value: string) => `${namespace}\u0000${key}=${value}`;
  const workloadsByLabel = new Map<string, WorkloadInfo[]>();
  for (const workload of config.workloads) {
    for (const [key, value] of Object.entries(workload.labels)) {
      const id = pair(workload.namespace, key, value);
      const list = workloadsByLabel.get(id);
      if (list) list.push(workload);
      else workloadsByLabel.set(id, [workload]);
    }
  }
  const servicesBySelector = new Map<string, ServiceInfo[]>();
  const servicePosition = new Map<ServiceInfo, number>();
  config.services.forEach((service, position) => {
    servicePosition.set(service, position);
    const first = Object.entries(service.selector).sort(([a], [b]) => (a < b ? -1 : 1))[0];
    if (!first) return;
    const id = pair(service.namespace, first[0], first[1]);
    const list = servicesBySelector.get(id);
    if (list) list.push(service);
    else servicesBySelector.set(id, [service]);
  });
  const behind = new Map<string, WorkloadInfo[]>();
  const gateways = new Map<WorkloadInfo, boolean>();
  const fronting = new Map<WorkloadInfo, ServiceInfo[]>();
  const hostsOf = (object: IstioObject, field: unknown) =>
    strings(field).map((host) => resolveHost(host, object.namespace));
  const ofKind = (kind: IstioObject['kind']) => config.istio.filter((object) => object.kind === kind);
  const serviceEntries = ofKind('ServiceEntry').map((object) => ({
    object,
    // ServiceEntry hosts are names as the caller uses them; only bare names are namespace-relative.
    hosts: strings(object.spec.hosts).map((host) =>
      host.includes('.') ? host : resolveHost(host, object.namespace),
    ),
  }));
  const virtualServicesFor = hostIndex(
    ofKind('VirtualService')
      .filter(routesMeshTraffic)
      .map((object) => ({ object, hosts: hostsOf(object, object.spec.hosts) })),
  );
  const destinationRulesFor = hostIndex(
    ofKind('DestinationRule').map((object) => ({ object, hosts: hostsOf(object, [object.spec.host]) })),
  );
  const gatewaySelectors = ofKind('Gateway')
    .map((object) => object.spec.selector)
    .filter(
      (selector): selector is Record<string, string> => typeof selector === 'object' && selector !== null,
    );

  return {
    config,
    workload: (namespace, name) => workloads.get(namespace)?.get(name),
    workloadsOfApp: (namespace, app, version) => {
      const entry = byApp.get(namespace)?.get(app);
      if (!entry) return [];
      if (version === undefined) return entry.all;
      entry.byVersion ??= new Map();
      let found = entry.byVersion.get(version);
      if (!found) {
        found = entry.all.filter((workload) => canonicalVersion(workload) === version);
        entry.byVersion.set(version, found);
      }
      return found;
    },
    service: (fqdn) => services.get(fqdn),
    workloadsOfService: (service) => {
      let found = behind.get(service.fqdn);
      if (!found) {
        const [key, value] = Object.entries(service.selector)[0] ?? [];
        const candidates =
          key === undefined ? [] : (workloadsByLabel.get(pair(service.namespace, key, value ?? '')) ?? []);
        found = candidates.filter((workload) => labelsMatch(service.selector, workload.labels));
        behind.set(service.fqdn, found);
      }
      return found;
    },
    servicesOfWorkload: (workload) => {
      let found = fronting.get(workload);
      if (!found) {
        const candidates = new Set(
          Object.entries(workload.labels).flatMap(
            ([key, value]) => servicesBySelector.get(pair(workload.namespace, key, value)) ?? [],
          ),
        );
        found = [...candidates]
          .filter((service) => labelsMatch(service.selector, workload.labels))
          .sort((a, b) => (servicePosition.get(a) ?? 0) - (servicePosition.get(b) ?? 0));
        fronting.set(workload, found);
      }
      return found;
    },
    serviceEntryFor: (host) =>
      serviceEntries.find((entry) => entry.hosts.some((pattern) => hostMatches(pattern, host)))?.object,
    virtualServicesFor,
    destinationRulesFor,
    isGateway: (workload) => {
      let answer = gateways.get(workload);
      if (answer === undefined) {
        answer =
          workload.labels.istio === 'ingressgateway' ||
          workload.labels.istio === 'egressgateway' ||
          workload.name === 'istio-ingressgateway' ||
          workload.name === 'istio-egressgateway' ||
          gatewaySelectors.some((selector) => labelsMatch(selector, workload.labels));
        gateways.set(workload, answer);
      }
      return answer;
    },
  };
}
