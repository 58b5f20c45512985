import type { IstioObject, PodInfo, ServiceInfo } from '../types/mesh-config';
import type { CheckContext } from './checker';
import { isEmptySelector, selectorMatches } from './labels';
import type { MeshIndex } from './mesh-index';
import { at, labelMap, record, text } from './spec';

export type PolicyLevel = 'workload' | 'namespace' | 'mesh';
type ServerMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';
export type ClientMode = 'ISTIO_MUTUAL' | 'DISABLE' | 'PLAINTEXT';

/** A service whose clients and pods disagree on mTLS: the connections fail. */
export interface MtlsConflict {
  service: ServiceInfo;
  pods: PodInfo[];
  /** the DestinationRule that decides the clients' TLS; undefined when none does */
  rule?: IstioObject;
  client: ClientMode;
  /** the PeerAuthentication that decides the pods' mode */
  policy: IstioObject;
  level: PolicyLevel;
  server: 'STRICT' | 'DISABLE';
}

export interface MtlsConflicts {
  byRule: Map<IstioObject, MtlsConflict[]>;
  byPolicy: Map<IstioObject, MtlsConflict[]>;
}

function peerMode(policy: IstioObject): ServerMode | undefined {
  const mode = text(at(policy.spec, 'mtls', 'mode'));
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

function byName(a: IstioObject, b: IstioObject): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The PeerAuthentication deciding a pod's mode: workload, else namespace, else mesh (root namespace). */
function serverPolicy(
  pod: PodInfo,
  index: MeshIndex,
): { policy: IstioObject; level: PolicyLevel; mode: ServerMode } | undefined {
  const inNamespace = [...index.objectsOf('PeerAuthentication', pod.namespace)].sort(byName);
  const level = pod.namespace === index.rootNamespace ? 'mesh' : 'namespace';
  for (const policy of inNamespace) {
    const selector = labelMap(at(policy.spec, 'selector', 'matchLabels'));
    const mode = peerMode(policy);
    if (mode && !isEmptySelector(selector) && selectorMatches(selector, pod.labels))
      return { policy, level: 'workload', mode };
  }
  for (const policy of inNamespace) {
    const mode = peerMode(policy);
    if (mode && isEmptySelector(labelMap(at(policy.spec, 'selector', 'matchLabels'))))
      return { policy, level, mode };
  }
  if (level === 'mesh') return undefined;
  for (const policy of [...index.objectsOf('PeerAuthentication', index.rootNamespace)].sort(byName)) {
    const mode = peerMode(policy);
    if (mode && isEmptySelector(labelMap(at(policy.spec, 'selector', 'matchLabels'))))
      return { policy, level: 'mesh', mode };
  }
  return undefined;
}

/** The DestinationRule clients use for a host: an exact host first, then the longest wildcard. */
export function clientRule(service: ServiceInfo, index: MeshIndex): IstioObject | undefined {
  const candidates = index.destinationRulesByHost
    .covering(service.fqdn)
    .filter((rule) => !record(rule.spec.workloadSelector));
  const rank = (rule: IstioObject) => {
    const host = index.fqdn(text(rule.spec.host) ?? '', rule.namespace);
    const home = rule.namespace === service.namespace ? 2 : rule.namespace === index.rootNamespace ? 1 : 0;
    return (host === service.fqdn ? 1_000_000 : host.length * 10) + home;
  };
  let best: IstioObject | undefined;
  for (const rule of candidates) if (!best || rank(rule) > rank(best)) best = rule;
  return best;
}

/**
 * Services whose clients' TLS (from their DestinationRule, or auto mTLS) contradicts the
 * PeerAuthentication of their sidecar pods: ISTIO_MUTUAL to pods in DISABLE mode, or plaintext
 * (DISABLE, or no TLS with auto mTLS off) to pods in STRICT mode. Computed once per run.
 */
export function mtlsConflicts(context: CheckContext): MtlsConflicts {
  return context.memo('mtls-conflicts', ['PeerAuthentication', 'DestinationRule'], () => {
    const { index } = context;
    const result: MtlsConflicts = { byRule: new Map(), byPolicy: new Map() };
    const enforcing = [...index.objectsOf('PeerAuthentication')].some((policy) => {
      const mode = peerMode(policy);
      return mode === 'STRICT' || mode === 'DISABLE';
    });
    if (!enforcing) return result;
    for (const service of index.services) {
      const pods = index.podsOf(service).filter((pod) => pod.sidecar);
      if (pods.length === 0) continue;
      const rule = clientRule(service, index);
      const mode = rule ? text(at(rule.spec, 'trafficPolicy', 'tls', 'mode')) : undefined;
      let client: ClientMode | undefined;
      if (mode === 'ISTIO_MUTUAL' || mode === 'DISABLE') client = mode;
      else if ((mode === undefined || mode === '') && !index.mesh.enableAutoMtls) client = 'PLAINTEXT';
      if (!client) continue;
      const groups = new Map<IstioObject, MtlsConflict>();
      for (const pod of pods) {
        const server = serverPolicy(pod, index);
        if (!server) continue;
        const broken =
          (client === 'ISTIO_MUTUAL' && server.mode === 'DISABLE') ||
          (client !== 'ISTIO_MUTUAL' && server.mode === 'STRICT');
        if (!broken) continue;
        let conflict = groups.get(server.policy);
        if (!conflict) {
          conflict = {
            service,
            pods: [],
            rule: client === 'PLAINTEXT' ? undefined : rule,
            client,
            policy: server.policy,
            level: server.level,
            server: server.mode === 'STRICT' ? 'STRICT' : 'DISABLE',
          };
          groups.set(server.policy, conflict);
        }
        conflict.pods.push(pod);
      }
      for (const conflict of groups.values()) {
        if (conflict.rule) push(result.byRule, conflict.rule, conflict);
        push(result.byPolicy, conflict.policy, conflict);
      }
    }
    return result;
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `a.default.svc.cluster.local, b.default...` (at most three, then a count). */
export function serviceList(conflicts: readonly MtlsConflict[]): string {
  const names = conflicts.map((conflict) => conflict.service.fqdn);
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}
