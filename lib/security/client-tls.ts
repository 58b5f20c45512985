/**
 * Client-side TLS, as a client sidecar decides it for a service port: the DestinationRule Istio
 * picks for the caller's namespace (its own namespace's, else the service namespace's exported
 * one, else the root namespace's; most specific host first), its subset and port-level settings;
 * without a TLS mode, auto-mTLS (mutual TLS to endpoints with a sidecar, unless the namespace or
 * mesh PeerAuthentication of the service disables it: istiod's BestEffortInferServiceMTLSMode reads
 * only those two levels, so a workload- or port-level DISABLE still receives mutual TLS), or
 * plaintext when the mesh turned auto-mTLS off.
 */
import type { ConfigSnapshot, IstioObject, ServiceInfo } from '../types/mesh-config';
import type { ClientTls, ClientTlsMode, PeerMode } from '../types/security';
import { labelsMatch, ofKind, oldestFirst, record, records, refOf, strings, text } from './spec';

const TLS_MODES: readonly string[] = ['ISTIO_MUTUAL', 'MUTUAL', 'SIMPLE', 'DISABLE'];

/** A DestinationRule host as an FQDN: short names belong to the rule's namespace. */
export function ruleHost(host: string, namespace: string, clusterDomain = 'cluster.local'): string {
  if (host === '*' || host.includes('.')) return host;
  return `${host}.${namespace}.svc.${clusterDomain}`;
}

/** How specifically `pattern` matches `fqdn`: exact beats wildcards, longer wildcards beat shorter. */
function specificity(pattern: string, fqdn: string): number | undefined {
  if (pattern === fqdn) return Number.MAX_SAFE_INTEGER;
  if (pattern === '*') return 0;
  if (pattern.startsWith('*.') && fqdn.endsWith(pattern.slice(1))) return pattern.length;
  return undefined;
}

/** Whether a rule in `namespace` is visible to clients in `clientNamespace` (`exportTo`). */
function exportedTo(rule: IstioObject, clientNamespace: string): boolean {
  const exportTo = strings(rule.spec.exportTo);
  if (exportTo.length === 0) return true;
  return exportTo.some(
    (entry) =>
      entry === '*' || entry === clientNamespace || (entry === '.' && rule.namespace === clientNamespace),
  );
}

interface IndexedRule {
  rule: IstioObject;
  /** the host as an FQDN (or wildcard) */
  host: string;
}

interface RuleIndex {
  /** rules without a workloadSelector, by namespace, oldest first */
  byNamespace: Map<string, IndexedRule[]>;
  /** namespaces with a rule for an exact host */
  namespacesByHost: Map<string, Set<string>>;
  /** rules with a wildcard host (few, in practice) */
  wildcards: IndexedRule[];
}

/** Indexes per snapshot (snapshots are immutable): the matrix asks once per workload port. */
const indexes = new WeakMap<object, RuleIndex>();

function indexOf(snapshot: Pick<ConfigSnapshot, 'istio' | 'mesh'>): RuleIndex {
  let index = indexes.get(snapshot);
  if (index) return index;
  const clusterDomain = snapshot.mesh?.clusterDomain ?? 'cluster.local';
  index = { byNamespace: new Map(), namespacesByHost: new Map(), wildcards: [] };
  const rules = ofKind(snapshot as ConfigSnapshot, 'DestinationRule').sort(oldestFirst);
  for (const rule of rules) {
    const declared = text(rule.spec.host);
    if (!declared) continue;
    const entry = { rule, host: ruleHost(declared, rule.namespace, clusterDomain) };
    if (entry.host.includes('*')) index.wildcards.push(entry);
    else {
      const namespaces = index.namespacesByHost.get(entry.host) ?? new Set<string>();
      namespaces.add(rule.namespace);
      index.namespacesByHost.set(entry.host, namespaces);
    }
    if (Object.keys(record(rule.spec.workloadSelector)).length > 0) continue;
    const list = index.byNamespace.get(rule.namespace) ?? [];
    list.push(entry);
    index.byNamespace.set(rule.namespace, list);
  }
  indexes.set(snapshot, index);
  return index;
}

/** The most specific rule for `fqdn` among `rules` (the oldest when several share the host). */
function mostSpecific(rules: readonly IndexedRule[], fqdn: string): IstioObject | undefined {
  let best = -1;
  let found: IstioObject | undefined;
  for (const { rule, host } of rules) {
    const score = specificity(host, fqdn);
    if (score === undefined || score <= best) continue;
    best = score;
    found = rule;
  }
  return found;
}

/**
 * The DestinationRule a sidecar in `clientNamespace` uses for `service` (rules with a
 * `workloadSelector` apply only to the workloads they select and are left out).
 */
export function destinationRuleFor(
  snapshot: Pick<ConfigSnapshot, 'istio' | 'rootNamespace' | 'mesh'>,
  service: Pick<ServiceInfo, 'fqdn' | 'namespace'>,
  clientNamespace: string,
): IstioObject | undefined {
  const { byNamespace } = indexOf(snapshot);
  const inNamespace = (namespace: string, exported: boolean) =>
    (byNamespace.get(namespace) ?? []).filter(
      (entry) => !exported || exportedTo(entry.rule, clientNamespace),
    );
  for (const candidates of [
    inNamespace(clientNamespace, false),
    inNamespace(service.namespace, true),
    inNamespace(snapshot.rootNamespace, true),
  ]) {
    const found = mostSpecific(candidates, service.fqdn);
    if (found) return found;
  }
  return undefined;
}

/** The DestinationRule namespaces whose clients may see another rule than the service's own. */
export function clientNamespacesWithOwnRule(
  snapshot: Pick<ConfigSnapshot, 'istio' | 'rootNamespace' | 'mesh'>,
  service: Pick<ServiceInfo, 'fqdn' | 'namespace'>,
): string[] {
  const index = indexOf(snapshot);
  const namespaces = new Set(index.namespacesByHost.get(service.fqdn) ?? []);
  for (const { rule, host } of index.wildcards)
    if (specificity(host, service.fqdn) !== undefined) namespaces.add(rule.namespace);
  namespaces.delete(service.namespace);
  namespaces.delete(snapshot.rootNamespace);
  return [...namespaces].sort();
}

export interface RuleTls {
  mode: Exclude<ClientTlsMode, 'AUTO'>;
  /** the field that set it */
  path: string;
}

type Layer = { mode: string | undefined; path: string } | undefined;

/**
 * A policy's TLS for a port, layered over `current` as Istio merges them: `tls` when set, then the
 * port's `portLevelSettings` entry, which replaces it whole (an entry without `tls` clears it).
 */
function layer(policy: Record<string, unknown>, port: number, prefix: string, current: Layer): Layer {
  let result = current;
  const mode = text(record(policy.tls).mode);
  if (mode) result = { mode, path: `${prefix}.tls.mode` };
  const settings = records(policy.portLevelSettings);
  const index = settings.findIndex((entry) => record(entry.port).number === port);
  if (index !== -1)
    result = {
      mode: text(record(settings[index]?.tls).mode),
      path: `${prefix}.portLevelSettings[${index}].tls.mode`,
    };
  return result;
}

/**
 * The TLS mode a DestinationRule sets for a service port, for traffic routed to `subset`: the
 * top-level policy with its port-level settings, then the subset's policy with its own (as
 * Istio's MergeTrafficPolicy). Undefined when no TLS mode results (auto-mTLS decides).
 */
export function ruleTls(rule: IstioObject, port: number, subset?: string): RuleTls | undefined {
  let result = layer(record(rule.spec.trafficPolicy), port, 'spec.trafficPolicy', undefined);
  if (subset !== undefined) {
    const subsets = records(rule.spec.subsets);
    const index = subsets.findIndex((entry) => entry.name === subset);
    if (index !== -1)
      result = layer(
        record(subsets[index]?.trafficPolicy),
        port,
        `spec.subsets[${index}].trafficPolicy`,
        result,
      );
  }
  if (!result?.mode || !TLS_MODES.includes(result.mode)) return undefined;
  return { mode: result.mode as RuleTls['mode'], path: result.path };
}

/** The subsets of a rule whose labels the workload carries. */
export function subsetsSelecting(rule: IstioObject, labels: Record<string, string>): string[] {
  return records(rule.spec.subsets)
    .filter((subset) => typeof subset.name === 'string')
    .filter((subset) => {
      const selector = Object.fromEntries(
        Object.entries(record(subset.labels)).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
      return labelsMatch(selector, labels);
    })
    .map((subset) => subset.name as string);
}

export interface ServerSide {
  /** the workload port's effective mode */
  mode: PeerMode;
  /** the mode of the service's namespace (or the mesh): all auto-mTLS looks at */
  namespaceMode: PeerMode;
  sidecar: boolean;
}

/** What clients with a sidecar send, given the rule's TLS (or none) and the server. */
export function clientDecision(
  rule: IstioObject | undefined,
  tls: RuleTls | undefined,
  server: ServerSide,
  autoMtls: boolean,
): Omit<ClientTls, 'clientNamespace'> {
  if (rule && tls) {
    const destinationRule = { ...refOf(rule), path: tls.path };
    const name = `DestinationRule ${rule.namespace}/${rule.name}`;
    switch (tls.mode) {
      case 'ISTIO_MUTUAL':
        return { mode: tls.mode, mutual: true, destinationRule, reason: `${name} sets ISTIO_MUTUAL` };
      case 'DISABLE':
        return { mode: tls.mode, mutual: false, destinationRule, reason: `${name} disables TLS: plaintext` };
      default:
        return {
          mode: tls.mode,
          mutual: false,
          destinationRule,
          reason: `${name} originates ${tls.mode} TLS with its own certificates, not Istio mutual TLS`,
        };
    }
  }
  if (!autoMtls)
    return {
      mode: 'AUTO',
      mutual: false,
      reason: 'auto-mTLS is off in the mesh config and no DestinationRule sets TLS: plaintext',
    };
  if (!server.sidecar)
    return { mode: 'AUTO', mutual: false, reason: 'auto-mTLS: the destination has no sidecar, so plaintext' };
  if (server.namespaceMode === 'DISABLE')
    return {
      mode: 'AUTO',
      mutual: false,
      reason: "auto-mTLS: the service's namespace (or the mesh) disables mTLS, so plaintext",
    };
  if (server.mode === 'DISABLE')
    return {
      mode: 'AUTO',
      mutual: true,
      reason:
        'auto-mTLS: the destination has a sidecar, so mutual TLS (auto-mTLS reads only namespace and mesh PeerAuthentications, not the workload DISABLE)',
    };
  return { mode: 'AUTO', mutual: true, reason: 'auto-mTLS: the destination has a sidecar, so mutual TLS' };
}

/**
 * What clients in each relevant namespace send to one service port in front of a workload: the
 * service's own namespace, `*` (every other namespace), and each namespace with its own rule for
 * the host; plus traffic routed to the subsets that select the workload. Identical answers merge.
 */
export function clientTlsFor(
  snapshot: Pick<ConfigSnapshot, 'istio' | 'rootNamespace' | 'mesh'>,
  service: Pick<ServiceInfo, 'fqdn' | 'namespace'>,
  servicePort: number,
  workloadLabels: Record<string, string>,
  server: ServerSide,
): ClientTls[] {
  const autoMtls = snapshot.mesh?.enableAutoMtls ?? true;
  const perspectives = ['*', service.namespace, ...clientNamespacesWithOwnRule(snapshot, service)];
  const result: ClientTls[] = [];
  const seen = new Set<string>();
  const otherNamespace = `${service.namespace}~other`;
  for (const perspective of perspectives) {
    // `*` stands for a namespace with no rule of its own, not the service's: a name no rule uses.
    const rule = destinationRuleFor(snapshot, service, perspective === '*' ? otherNamespace : perspective);
    const subsets = rule ? [undefined, ...subsetsSelecting(rule, workloadLabels)] : [undefined];
    let base = '';
    for (const subset of subsets) {
      const decision = clientDecision(
        rule,
        rule ? ruleTls(rule, servicePort, subset) : undefined,
        server,
        autoMtls,
      );
      // A subset that changes nothing is not worth a row of its own.
      if (subset === undefined) base = JSON.stringify(decision);
      else if (JSON.stringify(decision) === base) continue;
      const key = JSON.stringify([subset ?? '', decision]);
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ clientNamespace: perspective, ...(subset === undefined ? {} : { subset }), ...decision });
    }
  }
  return result;
}
