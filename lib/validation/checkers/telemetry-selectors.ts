import type { IstioObject, PodInfo } from '../../types/mesh-config';
import type { CheckContext } from '../checker';
import { defineChecker, displayName, ref } from '../checker';
import { isEmptySelector, selectorText } from '../labels';
import { at, labelMap } from '../spec';

function selectorOf(telemetry: IstioObject): Record<string, string> {
  return labelMap(at(telemetry.spec, 'selector', 'matchLabels'));
}

/** Per namespace: each pod → the Telemetries with a selector that select it. */
function telemetriesByPod(namespace: string, context: CheckContext): Map<PodInfo, IstioObject[]> {
  return context.memo(`telemetries-by-pod:${namespace}`, ['Telemetry'], () => {
    const result = new Map<PodInfo, IstioObject[]>();
    for (const telemetry of context.index.objectsOf('Telemetry', namespace)) {
      const selector = selectorOf(telemetry);
      if (isEmptySelector(selector)) continue;
      for (const pod of context.index.pods.select(namespace, selector))
        result.set(pod, [...(result.get(pod) ?? []), telemetry]);
    }
    return result;
  });
}

/**
 * Telemetry scoping (Istio's `telemetry.SelectorAnalyzer` and `DefaultSelectorAnalyzer`): a
 * selector must select a pod of its namespace (IST0101); a pod must not be selected by two
 * Telemetries (IST0159); a namespace must not have two Telemetries without selector (IST0160).
 * In each conflict Istio applies one of them and which one is undefined.
 */
export const telemetrySelectors = defineChecker({
  id: 'telemetry-selectors',
  kind: 'Telemetry',
  check(telemetry, context) {
    const { index } = context;
    const subject = ref(telemetry);
    const selector = selectorOf(telemetry);
    if (isEmptySelector(selector)) {
      const others = [...index.objectsOf('Telemetry', telemetry.namespace)].filter(
        (other) =>
          other !== telemetry &&
          isEmptySelector(selectorOf(other)) &&
          at(other.spec, 'targetRefs') === undefined,
      );
      if (others.length === 0 || at(telemetry.spec, 'targetRefs') !== undefined) return;
      context.report(subject, {
        code: 'telemetry.namespace-default.conflict',
        path: 'metadata.name',
        message: `${others.map(displayName).join(', ')} also apply to all of namespace ${telemetry.namespace || '(none)'}; only one namespace-wide Telemetry takes effect and which one is undefined. Merge them.`,
      });
      return;
    }
    const pods = index.pods.select(telemetry.namespace, selector);
    if (pods.length === 0) {
      context.report(subject, {
        code: 'telemetry.selector.no-workload',
        path: 'spec.selector.matchLabels',
        message: `No pod in namespace ${telemetry.namespace} carries the labels ${selectorText(selector)}, so this Telemetry applies to nothing. Fix the labels.`,
      });
      return;
    }
    const byPod = telemetriesByPod(telemetry.namespace, context);
    const rivals = new Set<IstioObject>();
    for (const pod of pods)
      for (const other of byPod.get(pod) ?? []) if (other !== telemetry) rivals.add(other);
    if (rivals.size === 0) return;
    context.report(subject, {
      code: 'telemetry.selector.conflict',
      path: 'spec.selector.matchLabels',
      message: `Pods it selects are also selected by ${[...rivals].map(displayName).join(', ')}; a pod gets one Telemetry and which one is undefined. Make the selectors disjoint, or merge the Telemetries.`,
    });
  },
});
