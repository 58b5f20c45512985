/**
 * A split checked against the mesh configuration: every destination given traffic must be a host
 * that resolves (a Service or ServiceEntry visible from the VirtualService) and name a subset that
 * a DestinationRule for that host defines, as Istio reads them (the same rules as the checks in
 * lib/validation). Also: the subsets a route could send to but does not yet, and the versions
 * with running pods that no subset selects.
 */
import type { IstioObject, ServiceInfo } from '../types/mesh-config';
import type {
  DestinationProblem,
  DestinationRef,
  HeaderRouteAddition,
  RouteWeights,
  SplitDestination,
  SplitRoute,
  SubsetAddition,
  SubsetOffer,
  WeightProblem,
} from '../types/traffic-split';
import { exportedNamespaces } from '../validation/checkers/vs-destination-hosts';
import { exportScope, visibleIn } from '../validation/hosts';
import { selectorMatches } from '../validation/labels';
import type { MeshIndex } from '../validation/mesh-index';
import { labelMap, records, text, texts } from '../validation/spec';
import { destinationKey, destinationLabel } from './routes';

/** DNS-1123 label, as Istio requires of subset names. */
const SUBSET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface Subset {
  name: string;
  labels: Record<string, string>;
}

/** DestinationRules for `fqdn` that the VirtualService's namespace sees (wildcard hosts included). */
function rulesFor(index: MeshIndex, namespace: string, fqdn: string): IstioObject[] {
  return index.destinationRulesByHost
    .covering(fqdn)
    .filter((rule) => visibleIn(exportScope(texts(rule.spec.exportTo), rule.namespace), namespace));
}

function subsetsOf(rules: readonly IstioObject[]): Subset[] {
  const result: Subset[] = [];
  for (const rule of rules) {
    for (const subset of records(rule.spec.subsets)) {
      const name = text(subset.name);
      if (name !== undefined && !result.some((known) => known.name === name))
        result.push({ name, labels: labelMap(subset.labels) });
    }
  }
  return result;
}

/**
 * The DestinationRule a new subset for `fqdn` goes into: one whose host is exactly `fqdn`, in the
 * VirtualService's namespace, else in the service's; undefined when one must be created.
 */
export function destinationRuleFor(
  index: MeshIndex,
  namespace: string,
  fqdn: string,
): IstioObject | undefined {
  const exact = rulesFor(index, namespace, fqdn).filter(
    (rule) => index.fqdn(text(rule.spec.host) ?? '', rule.namespace) === fqdn,
  );
  const serviceNamespace = index.serviceByFqdn.get(fqdn)?.namespace;
  const byName = (a: IstioObject, b: IstioObject) => a.name.localeCompare(b.name);
  return (
    exact.filter((rule) => rule.namespace === namespace).sort(byName)[0] ??
    exact.filter((rule) => rule.namespace === serviceNamespace).sort(byName)[0]
  );
}

/** Where subsets for a host go: its DestinationRule, or the one to create. */
export interface DestinationRuleTarget {
  namespace: string;
  name: string;
  /** `spec.host` of a DestinationRule to create */
  host: string;
  exists: boolean;
}

/**
 * The DestinationRule that subsets for `host` (as a VirtualService in `namespace` writes it) go
 * into; when the host has none, a new one named after the Service, in the Service's namespace.
 */
export function destinationRuleTarget(
  index: MeshIndex,
  namespace: string,
  host: string,
): DestinationRuleTarget {
  const fqdn = index.fqdn(host, namespace);
  const existing = destinationRuleFor(index, namespace, fqdn);
  if (existing)
    return {
      namespace: existing.namespace,
      name: existing.name,
      host: text(existing.spec.host) ?? host,
      exists: true,
    };
  const service = index.serviceByFqdn.get(fqdn);
  const ruleNamespace = service?.namespace ?? namespace;
  const base = service?.name ?? host.split('.')[0] ?? 'destination-rule';
  const taken = (candidate: string) => index.get('DestinationRule', ruleNamespace, candidate) !== undefined;
  const name = taken(base) ? `${base}-subsets` : base;
  return { namespace: ruleNamespace, name, host: service ? service.name : fqdn, exists: false };
}

function runningPods(index: MeshIndex, service: ServiceInfo) {
  return index.podsOf(service).filter((pod) => pod.phase === 'Running');
}

/** Checks destinations of one VirtualService against the mesh configuration. */
export class SplitChecker {
  private readonly namespaces: string[];

  constructor(
    private readonly index: MeshIndex,
    private readonly virtualService: IstioObject,
    /** subsets the same change adds, which count as defined */
    private readonly pending: readonly SubsetAddition[] = [],
  ) {
    this.namespaces = exportedNamespaces(virtualService);
  }

  fqdn(host: string): string {
    return this.index.fqdn(host, this.virtualService.namespace);
  }

  private subsets(host: string): Subset[] {
    const fqdn = this.fqdn(host);
    const defined = subsetsOf(rulesFor(this.index, this.virtualService.namespace, fqdn));
    for (const addition of this.pending) {
      if (this.fqdn(addition.host) === fqdn && !defined.some((subset) => subset.name === addition.name))
        defined.push({ name: addition.name, labels: addition.labels });
    }
    return defined;
  }

  /** Why traffic to `destination` would fail, or undefined. */
  problem(destination: DestinationRef): DestinationProblem | undefined {
    const fqdn = this.fqdn(destination.host);
    const label = destinationLabel(destination);
    if (destination.host.trim() === '')
      return { severity: 'error', message: 'This destination has no host.' };
    if (!this.index.registry.resolve(fqdn, this.namespaces)) {
      return {
        severity: 'error',
        message: `${destination.host} is not a Service or ServiceEntry host visible from ${this.namespaces.join(', ')}: requests sent here would fail with 503.`,
      };
    }
    if (destination.subset === undefined) return undefined;
    const subset = this.subsets(destination.host).find((candidate) => candidate.name === destination.subset);
    if (!subset) {
      return {
        severity: 'error',
        message: `Subset ${destination.subset} is not defined by a DestinationRule for ${destination.host}: requests sent to ${label} would fail with 503 (no healthy upstream).`,
      };
    }
    const service = this.index.serviceByFqdn.get(fqdn);
    if (
      service &&
      !runningPods(this.index, service).some((pod) => selectorMatches(subset.labels, pod.labels))
    ) {
      return {
        severity: 'warning',
        message: `Subset ${destination.subset} selects no running pod of ${service.name}: requests sent to ${label} would fail with 503 until one runs.`,
      };
    }
    return undefined;
  }

  /** Subsets of the route's hosts that it does not send to yet, as destinations at weight 0. */
  candidates(destinations: readonly DestinationRef[]): SplitDestination[] {
    const taken = new Set(destinations.map(destinationKey));
    const result: SplitDestination[] = [];
    const hosts = new Map<string, DestinationRef>();
    for (const destination of destinations)
      if (!hosts.has(destination.host)) hosts.set(destination.host, destination);
    for (const [host, first] of hosts) {
      for (const subset of this.subsets(host)) {
        const candidate: DestinationRef = {
          host,
          subset: subset.name,
          ...(first.port !== undefined ? { port: first.port } : {}),
        };
        if (taken.has(destinationKey(candidate))) continue;
        taken.add(destinationKey(candidate));
        const problem = this.problem(candidate);
        result.push({ ...candidate, weight: 0, explicit: false, ...(problem ? { problem } : {}) });
      }
    }
    return result;
  }

  /** The routes with each destination's problem and the candidate destinations filled in. */
  annotate(routes: readonly SplitRoute[]): SplitRoute[] {
    return routes.map((route) => ({
      ...route,
      destinations: route.destinations.map((destination) => {
        const problem = this.problem(destination);
        return problem ? { ...destination, problem } : destination;
      }),
      candidates: this.candidates(route.destinations),
    }));
  }

  /** Versions of the routes' Service hosts with running pods that no subset selects. */
  offers(routes: readonly SplitRoute[]): SubsetOffer[] {
    const result: SubsetOffer[] = [];
    const seen = new Set<string>();
    for (const route of routes) {
      for (const destination of route.destinations) {
        const fqdn = this.fqdn(destination.host);
        if (seen.has(fqdn)) continue;
        seen.add(fqdn);
        const service = this.index.serviceByFqdn.get(fqdn);
        if (!service) continue;
        const subsets = this.subsets(destination.host);
        const byVersion = new Map<string, number>();
        for (const pod of runningPods(this.index, service)) {
          const version = pod.labels.version;
          if (version === undefined || subsets.some((subset) => selectorMatches(subset.labels, pod.labels)))
            continue;
          byVersion.set(version, (byVersion.get(version) ?? 0) + 1);
        }
        const rule = destinationRuleFor(this.index, this.virtualService.namespace, fqdn);
        for (const [version, pods] of [...byVersion].sort(([a], [b]) => a.localeCompare(b))) {
          result.push({
            host: destination.host,
            name: subsetName(version),
            labels: { version },
            pods,
            ...(rule ? { destinationRule: { namespace: rule.namespace, name: rule.name } } : {}),
          });
        }
      }
    }
    return result;
  }

  /**
   * What stops a change, in words: destinations given traffic that would fail (unknown host,
   * undefined subset), header rules sending to one, and subsets to add with bad names.
   */
  check(change: {
    routes: readonly RouteWeights[];
    subsets?: readonly SubsetAddition[];
    headerRoutes?: readonly HeaderRouteAddition[];
  }): WeightProblem[] {
    const problems: WeightProblem[] = [];
    for (const route of change.routes) {
      route.weights.forEach((entry, position) => {
        if (entry.weight <= 0) return;
        const problem = this.problem(entry);
        if (problem?.severity === 'error')
          problems.push({
            protocol: route.protocol ?? 'http',
            index: route.index,
            destination: position,
            message: problem.message,
          });
      });
    }
    for (const addition of change.headerRoutes ?? []) {
      const problem = this.problem(addition.destination);
      if (problem?.severity === 'error')
        problems.push({
          protocol: 'http',
          index: addition.beforeIndex,
          message: `Header rule: ${problem.message}`,
        });
    }
    for (const addition of change.subsets ?? []) {
      if (!SUBSET_NAME.test(addition.name)) {
        problems.push({
          protocol: 'http',
          index: 0,
          message: `"${addition.name}" cannot name a subset: use lower case letters, digits and hyphens.`,
        });
      }
      if (!this.index.serviceByFqdn.has(this.fqdn(addition.host))) {
        problems.push({
          protocol: 'http',
          index: 0,
          message: `${addition.host} is not a Kubernetes Service here, so no subset can be added for it.`,
        });
      }
    }
    return problems;
  }
}

/** A version label as a subset name (DNS-1123 label): `1.2` → `1-2`. */
export function subsetName(version: string): string {
  const name = version
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return name === '' ? 'unversioned' : name;
}
