import { defineChecker, displayName, ref } from '../checker';
import { exportScope, scopesIntersect } from '../hosts';
import { record, records, text, texts } from '../spec';

/**
 * Several DestinationRules for one host in one namespace (same FQDN, exported to a common
 * namespace, none with a workloadSelector): Istio merges them and keeps only the first subset of
 * each name and the first traffic policy, so the others' settings silently do nothing (Kiali
 * KIA0201). Rules in different namespaces do not merge: a client uses the one of its own
 * namespace, else the host's, else the root namespace's.
 */
export const drConflicts = defineChecker({
  id: 'dr-conflicts',
  kind: 'DestinationRule',
  check(rule, context) {
    if (record(rule.spec.workloadSelector)) return;
    const { index } = context;
    const host = index.fqdn(text(rule.spec.host) ?? '', rule.namespace);
    const scope = exportScope(texts(rule.spec.exportTo), rule.namespace);
    const subsets = new Set(records(rule.spec.subsets).map((subset) => text(subset.name) ?? ''));
    const hasPolicy = record(rule.spec.trafficPolicy) !== undefined;
    for (const other of index.destinationRulesByHost.exactly(host)) {
      if (other === rule || other.namespace !== rule.namespace || record(other.spec.workloadSelector))
        continue;
      if (!scopesIntersect(scope, exportScope(texts(other.spec.exportTo), other.namespace))) continue;
      const shared = records(other.spec.subsets)
        .map((subset) => text(subset.name) ?? '')
        .filter((name) => subsets.has(name));
      const bothPolicies = hasPolicy && record(other.spec.trafficPolicy) !== undefined;
      if (shared.length === 0 && !bothPolicies) continue;
      const what = [
        ...(shared.length > 0 ? [`subset${shared.length > 1 ? 's' : ''} ${shared.join(', ')}`] : []),
        ...(bothPolicies ? ['a top-level trafficPolicy'] : []),
      ].join(' and ');
      context.report(ref(rule), {
        code: 'dr.host.conflict',
        path:
          shared.length > 0 ? `spec.subsets[${[...subsets].indexOf(shared[0] ?? '')}]` : 'spec.trafficPolicy',
        message:
          `DestinationRule ${displayName(other)} also sets ${what} for ${host}. Istio merges the two and keeps only the oldest definition, ` +
          'so one of them silently has no effect. Keep these settings in one DestinationRule.',
      });
    }
  },
});
