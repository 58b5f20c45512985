/**
 * Why a pod has or lacks the Istio sidecar, following the injector's rules (istio/istio
 * `pkg/kube/inject/webhook.go` `injectRequired` and the namespace selectors of the webhook):
 * host-network pods never; the pod's `sidecar.istio.io/inject` label (or the older annotation)
 * wins over the namespace; the namespace asks with `istio-injection=enabled` or `istio.io/rev`;
 * `istio-injection=disabled` refuses; kube-system and the like are never injected. A pod created
 * before the namespace was labelled keeps running without the sidecar until it is restarted.
 */
import type { InjectionStatus } from '../types/workloads';

const neverInjected = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

export interface InjectionInput {
  namespace: string;
  namespaceLabels: Record<string, string>;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  hasSidecar: boolean;
  hostNetwork?: boolean;
  /** the injector's `enableNamespacesByDefault` */
  injectNamespacesByDefault?: boolean;
}

export function injectionStatus(input: InjectionInput): InjectionStatus {
  const namespaceLabel = input.namespaceLabels['istio-injection'];
  const revision = input.namespaceLabels['istio.io/rev'] ?? input.podLabels['istio.io/rev'];
  const namespace: InjectionStatus['namespace'] =
    namespaceLabel === 'enabled'
      ? 'enabled'
      : namespaceLabel === 'disabled'
        ? 'disabled'
        : input.namespaceLabels['istio.io/rev'] !== undefined
          ? 'revision'
          : 'none';
  const podSetting =
    input.podLabels['sidecar.istio.io/inject'] ?? input.podAnnotations['sidecar.istio.io/inject'];
  const base = {
    injected: input.hasSidecar,
    namespace,
    ...(podSetting !== undefined ? { podSetting } : {}),
    ...(revision !== undefined ? { revision } : {}),
  };
  const namespaceWords =
    namespace === 'enabled'
      ? `namespace ${input.namespace} has istio-injection=enabled`
      : namespace === 'revision'
        ? `namespace ${input.namespace} has istio.io/rev=${revision}`
        : namespace === 'disabled'
          ? `namespace ${input.namespace} has istio-injection=disabled`
          : `namespace ${input.namespace} has neither istio-injection nor istio.io/rev`;

  if (input.hasSidecar) {
    const why =
      podSetting === 'true'
        ? 'the pod asks for it (sidecar.istio.io/inject=true)'
        : namespace === 'none' && input.injectNamespacesByDefault
          ? 'the injector injects every namespace by default'
          : namespaceWords;
    return { ...base, reason: `Sidecar injected: ${why}.` };
  }
  if (input.hostNetwork)
    return { ...base, reason: 'No sidecar: pods on the host network are never injected.' };
  if (neverInjected.has(input.namespace))
    return { ...base, reason: `No sidecar: Istio never injects pods in ${input.namespace}.` };
  if (podSetting === 'false')
    return {
      ...base,
      reason: 'No sidecar: the pod opts out with sidecar.istio.io/inject=false (label or annotation).',
    };
  if (namespace === 'disabled' && podSetting !== 'true')
    return {
      ...base,
      reason: `No sidecar: ${namespaceWords}. Remove the label (or set sidecar.istio.io/inject=true on the pod) and restart the pods.`,
    };
  const asked =
    podSetting === 'true' ||
    namespace === 'enabled' ||
    namespace === 'revision' ||
    input.injectNamespacesByDefault;
  if (!asked)
    return {
      ...base,
      reason: `No sidecar: ${namespaceWords}. Label it (kubectl label namespace ${input.namespace} istio-injection=enabled) and restart the pods.`,
    };
  return {
    ...base,
    reason: `No sidecar although injection is asked for (${podSetting === 'true' ? 'sidecar.istio.io/inject=true on the pod' : namespaceWords}): the pod was created before the label, or the injector webhook did not run${revision ? ` for revision ${revision}` : ''}. Restart the pods (kubectl rollout restart) and check istiod.`,
  };
}
