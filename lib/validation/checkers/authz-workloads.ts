import { defineChecker, ref } from '../checker';
import { selectorText } from '../labels';
import { meshPods } from '../membership';
import { labelMap, list, record } from '../spec';

/**
 * An AuthorizationPolicy must apply to some workload of the mesh (Istio's
 * `auth.AuthorizationPoliciesAnalyzer`, IST0127; Kiali KIA0004): in the root namespace its
 * selector is matched against meshed pods of every namespace, elsewhere against meshed pods of
 * its namespace, and a policy without selector needs a meshed pod in its namespace. Policies
 * attached with targetRef (gateways, waypoints) are not checked.
 */
export const authzWorkloads = defineChecker({
  id: 'authz-workloads',
  kind: 'AuthorizationPolicy',
  check(policy, context) {
    const { index } = context;
    if (record(policy.spec.targetRef) || list(policy.spec.targetRefs).length > 0) return;
    const pods = meshPods(index);
    const selector = record(policy.spec.selector);
    const labels = labelMap(selector?.matchLabels);
    const meshWide = policy.namespace === index.rootNamespace;
    if (!selector) {
      if (meshWide || pods.inNamespace(policy.namespace).size > 0) return;
      context.report(ref(policy), {
        code: 'authz.namespace.no-workload',
        path: 'metadata.namespace',
        message:
          `Namespace ${policy.namespace} has no pod in the mesh, so this namespace-wide policy protects nothing. ` +
          'Enable injection (or ambient) for the namespace and restart its workloads, or remove the policy.',
      });
      return;
    }
    if (pods.some(meshWide ? undefined : policy.namespace, labels)) return;
    context.report(ref(policy), {
      code: 'authz.selector.no-workload',
      path: 'spec.selector.matchLabels',
      message:
        `No pod in the mesh${meshWide ? '' : ` in namespace ${policy.namespace}`} carries the labels ${selectorText(labels) || '(none)'}, so this policy applies to nothing ` +
        `(pods without a sidecar or ambient redirection are not counted). Fix the labels${meshWide ? '' : ' (a policy selects pods of its own namespace only)'}.`,
    });
  },
});
