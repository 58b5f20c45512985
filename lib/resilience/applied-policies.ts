/**
 * The DestinationRules that apply to a service for its callers, each with the effective policy of
 * every cluster (port × subset) explained: the `policies` of the resilience API.
 */
import type { ConfigSnapshot, ServiceInfo } from '../types/mesh-config';
import type { AppliedDestinationRule, ClusterPolicy } from '../types/resilience';
import { explainPolicy, policyGuidance } from './explain';
import {
  type Caller,
  destinationRuleFor,
  effectiveConnectionPool,
  effectiveLoadBalancer,
  effectiveOutlierDetection,
  mergeTrafficPolicy,
  podsInSubset,
  type SelectedRule,
  subsetLabels,
  subsetName,
} from './policy';

export type PolicyConfig = Pick<ConfigSnapshot, 'istio' | 'rootNamespace' | 'pods'>;

/** `outbound|PORT|SUBSET|FQDN`, as Istio names the clusters. */
export function clusterName(port: number, subset: string | null, fqdn: string): string {
  return `outbound|${port}|${subset ?? ''}|${fqdn}`;
}

function clusterPolicies(config: PolicyConfig, service: ServiceInfo, selected: SelectedRule | undefined) {
  const spec = selected?.rule.spec ?? {};
  const variants = [undefined, ...(selected?.subsets ?? [])];
  const clusters: ClusterPolicy[] = [];
  for (const port of service.ports) {
    for (const subset of variants) {
      const name = subset ? subsetName(subset) : null;
      const labels = subsetLabels(subset);
      const merged = mergeTrafficPolicy(spec, subset, port.port);
      const pods = podsInSubset(config.pods, service, labels);
      const tls = merged.sections.tls?.mode;
      const parts = {
        subset: name,
        pods: pods.length,
        connectionPool: {
          value: effectiveConnectionPool(merged.sections.connectionPool),
          from: merged.from.connectionPool,
        },
        outlierDetection: {
          value: effectiveOutlierDetection(merged.sections.outlierDetection),
          from: merged.from.outlierDetection,
        },
        loadBalancer: {
          value: effectiveLoadBalancer(merged.sections.loadBalancer),
          from: merged.from.loadBalancer,
        },
        tlsMode: { value: typeof tls === 'string' ? tls : null, from: merged.from.tls },
      };
      clusters.push({
        cluster: clusterName(port.port, name, service.fqdn),
        port: port.port,
        labels,
        ...parts,
        pods: pods.map((pod) => ({ namespace: pod.namespace, name: pod.name })),
        explanation: explainPolicy(parts),
        guidance: policyGuidance(parts),
      });
    }
  }
  return clusters;
}

/**
 * One entry per distinct rule the callers get (the service's own namespace always looked at),
 * in the order of the callers that first get it.
 */
export function appliedPolicies(
  config: PolicyConfig,
  service: ServiceInfo,
  callers: readonly Caller[],
): AppliedDestinationRule[] {
  const looked = [{ namespace: service.namespace }, ...callers];
  const byRule = new Map<string, { selected: SelectedRule | undefined; namespaces: Set<string> }>();
  for (const caller of looked) {
    const selected = destinationRuleFor(config, service, caller);
    const key = selected ? `${selected.rule.namespace}/${selected.rule.name}` : '';
    const entry = byRule.get(key) ?? { selected, namespaces: new Set<string>() };
    entry.namespaces.add(caller.namespace);
    byRule.set(key, entry);
  }
  return [...byRule.values()].map(({ selected, namespaces }) => {
    const selector = selected?.rule.spec.workloadSelector as
      | { matchLabels?: Record<string, string> }
      | undefined;
    return {
      rule: selected
        ? {
            namespace: selected.rule.namespace,
            name: selected.rule.name,
            resourceVersion: selected.rule.resourceVersion,
            host: selected.host,
          }
        : null,
      callerNamespaces: [...namespaces].sort(),
      workloadSelector: selector?.matchLabels ?? null,
      clusters: clusterPolicies(config, service, selected),
    };
  });
}

/** The policy a caller's Envoy has for one of the service's clusters, if it is one of them. */
export function policyOfCluster(
  applied: readonly AppliedDestinationRule[],
  callerNamespace: string,
  cluster: string,
): ClusterPolicy | undefined {
  const rule =
    applied.find((entry) => entry.callerNamespaces.includes(callerNamespace)) ??
    applied.find((entry) => entry.rule === null);
  return rule?.clusters.find((candidate) => candidate.cluster === cluster);
}
