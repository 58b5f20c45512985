import type { IstioObject, PodInfo } from '../../types/mesh-config';
import type { CheckContext } from '../checker';
import { defineChecker, displayName, ref } from '../checker';
import { isEmptySelector, selectorMatches, selectorText } from '../labels';
import { isAmbientNamespace, isAmbientPod } from '../membership';
import { at, labelMap } from '../spec';

function selectorOf(sidecar: IstioObject): Record<string, string> {
  return labelMap(at(sidecar.spec, 'workloadSelector', 'labels'));
}

/** Per namespace: each pod → the Sidecars with a workloadSelector that select it. */
function sidecarsByPod(namespace: string, context: CheckContext): Map<PodInfo, IstioObject[]> {
  return context.memo(`sidecars-by-pod:${namespace}`, ['Sidecar'], () => {
    const result = new Map<PodInfo, IstioObject[]>();
    for (const sidecar of context.index.objectsOf('Sidecar', namespace)) {
      const selector = selectorOf(sidecar);
      if (isEmptySelector(selector)) continue;
      for (const pod of context.index.pods.select(namespace, selector)) {
        const list = result.get(pod);
        if (list) list.push(sidecar);
        else result.set(pod, [sidecar]);
      }
    }
    return result;
  });
}

/**
 * Sidecar scoping (Istio's `sidecar.SelectorAnalyzer`): a workloadSelector must select a pod of
 * its namespace (IST0101, KIA0004); a pod must not be selected by two Sidecars (IST0110, KIA0003);
 * a namespace must not have two Sidecars without selector (IST0111, KIA0002); and a Sidecar has
 * no effect on ambient pods (IST0167). In every conflict Istio applies one Sidecar and ignores
 * the other.
 */
export const sidecarSelectors = defineChecker({
  id: 'sidecar-selectors',
  kind: 'Sidecar',
  check(sidecar, context) {
    const { index } = context;
    const subject = ref(sidecar);
    const selector = selectorOf(sidecar);
    if (isEmptySelector(selector)) {
      const others = [...index.objectsOf('Sidecar', sidecar.namespace)].filter(
        (other) => other !== sidecar && isEmptySelector(selectorOf(other)),
      );
      if (others.length > 0) {
        context.report(subject, {
          code: 'sidecar.namespace-default.conflict',
          path: 'metadata.name',
          message:
            `${others.map(displayName).join(', ')} ${others.length > 1 ? 'are' : 'is'} also a Sidecar without workloadSelector in namespace ${sidecar.namespace}. ` +
            'Only one namespace-wide Sidecar applies, and which one is undefined. Keep one, or give the others a workloadSelector.',
        });
      }
      if (isAmbientNamespace(index.namespaces.get(sidecar.namespace)?.labels)) {
        context.report(subject, {
          code: 'sidecar.ambient.ineffective',
          path: 'metadata.name',
          message: `Namespace ${sidecar.namespace} runs in ambient mode, where pods have no sidecar, so this Sidecar has no effect. Remove it, or configure the waypoint instead.`,
        });
      }
      return;
    }
    const pods = index.pods.select(sidecar.namespace, selector);
    if (pods.length === 0) {
      context.report(subject, {
        code: 'sidecar.selector.no-workload',
        path: 'spec.workloadSelector.labels',
        message:
          `No pod in namespace ${sidecar.namespace} carries the labels ${selectorText(selector)}, so this Sidecar applies to nothing. ` +
          'Fix the labels (a Sidecar only selects pods of its own namespace).',
      });
      return;
    }
    const byPod = sidecarsByPod(sidecar.namespace, context);
    const rivals = new Set<IstioObject>();
    const shared: string[] = [];
    for (const pod of pods) {
      const selecting = byPod.get(pod) ?? [];
      if (selecting.length < 2) continue;
      shared.push(pod.name);
      for (const other of selecting)
        if (other !== sidecar && selectorMatches(selectorOf(other), pod.labels)) rivals.add(other);
    }
    if (rivals.size > 0) {
      context.report(subject, {
        code: 'sidecar.selector.conflict',
        path: 'spec.workloadSelector.labels',
        message:
          `Pod${shared.length > 1 ? 's' : ''} ${shared.slice(0, 3).join(', ')}${shared.length > 3 ? '…' : ''} ${shared.length > 1 ? 'are' : 'is'} also selected by ${[...rivals].map(displayName).join(', ')}. ` +
          'A pod gets one Sidecar and which one is undefined. Make the selectors disjoint, or merge the Sidecars.',
      });
    }
    if (pods.some(isAmbientPod)) {
      context.report(subject, {
        code: 'sidecar.ambient.ineffective',
        path: 'spec.workloadSelector.labels',
        message: `It selects ambient pods (${pods
          .filter(isAmbientPod)
          .slice(0, 3)
          .map((pod) => pod.name)
          .join(', ')}), which have no sidecar, so this Sidecar has no effect on them.`,
      });
    }
  },
});
