import { defineChecker, ref } from '../checker';
import { isEmptySelector, selectorText } from '../labels';
import { at, labelMap } from '../spec';

/** A ServiceEntry's workloadSelector must select pods or WorkloadEntries of its namespace, its endpoints. */
export const serviceEntryWorkloadSelector = defineChecker({
  id: 'serviceentry-workload-selector',
  kind: 'ServiceEntry',
  check(entry, context) {
    const selector = labelMap(at(entry.spec, 'workloadSelector', 'labels'));
    if (isEmptySelector(selector)) return;
    const { index } = context;
    if (index.pods.some(entry.namespace, selector) || index.workloadEntries.some(entry.namespace, selector))
      return;
    context.report(ref(entry), {
      code: 'se.workload-selector.no-workload',
      path: 'spec.workloadSelector.labels',
      message:
        `No pod or WorkloadEntry in namespace ${entry.namespace} carries the labels ${selectorText(selector)}, so this ServiceEntry has no endpoints ` +
        'and its hosts answer 503 (no healthy upstream). Fix the labels, or create the workloads.',
    });
  },
});
