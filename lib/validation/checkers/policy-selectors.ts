import type { IstioKind } from '../../types/mesh-config';
import { type Checker, defineChecker, ref } from '../checker';
import type { FindingCode } from '../codes';
import { isEmptySelector, selectorText } from '../labels';
import { at, labelMap } from '../spec';

function selectorChecker(kind: IstioKind, code: FindingCode, id: string): Checker {
  return defineChecker({
    id,
    kind,
    check(policy, context) {
      const labels = labelMap(at(policy.spec, 'selector', 'matchLabels'));
      if (isEmptySelector(labels) || context.index.pods.some(policy.namespace, labels)) return;
      context.report(ref(policy), {
        code,
        path: 'spec.selector.matchLabels',
        message:
          `No pod in namespace ${policy.namespace} carries the labels ${selectorText(labels)}, so this ${kind} applies to nothing ` +
          '(and the namespace-wide settings apply where you meant this one). Fix the labels; a selector only picks pods of its own namespace.',
      });
    },
  });
}

/** PeerAuthentication and RequestAuthentication selectors must select a pod of their namespace (Kiali KIA0004). */
export const peerAuthenticationSelector = selectorChecker(
  'PeerAuthentication',
  'peerauthentication.selector.no-workload',
  'policy-selectors',
);
export const requestAuthenticationSelector = selectorChecker(
  'RequestAuthentication',
  'requestauthentication.selector.no-workload',
  'policy-selectors',
);
