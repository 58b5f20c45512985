import { defineChecker, displayName, ref } from '../checker';
import { exportScope, visibleIn } from '../hosts';
import { destinationsOf } from '../mesh-index';
import { records, text, texts } from '../spec';

/**
 * A destination subset must be defined by a DestinationRule for its host that the VirtualService
 * sees (Istio's `virtualservice.DestinationRuleAnalyzer`: IST0101; Kiali KIA1107). A wildcard
 * DestinationRule host covering the destination counts, as it does at runtime.
 */
export const vsDestinationSubsets = defineChecker({
  id: 'vs-destination-subsets',
  kind: 'VirtualService',
  check(virtualService, context) {
    const { index } = context;
    for (const destination of destinationsOf(virtualService)) {
      if (destination.subset === undefined) continue;
      const host = index.fqdn(destination.host, virtualService.namespace);
      const rules = index.destinationRulesByHost
        .covering(host)
        .filter((rule) =>
          visibleIn(exportScope(texts(rule.spec.exportTo), rule.namespace), virtualService.namespace),
        );
      const defined = rules.some((rule) =>
        records(rule.spec.subsets).some((subset) => text(subset.name) === destination.subset),
      );
      if (defined) continue;
      const known = rules.map(
        (rule) =>
          `${displayName(rule)} (${
            records(rule.spec.subsets)
              .map((s) => text(s.name))
              .join(', ') || 'no subsets'
          })`,
      );
      context.report(ref(virtualService), {
        code: 'vs.destination.subset-not-found',
        path: `${destination.path}.subset`,
        message:
          `Subset "${destination.subset}" of "${destination.host}" is not defined by any DestinationRule ` +
          `${known.length > 0 ? `for that host (found ${known.join('; ')})` : 'for that host'}. ` +
          `${destination.mirror ? 'Mirrored requests' : 'Requests taking this route'} fail with 503 (no healthy upstream). ` +
          "Add the subset to the host's DestinationRule, or fix the subset name.",
      });
    }
  },
});
