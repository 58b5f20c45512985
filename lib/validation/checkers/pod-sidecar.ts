import { defineChecker, subjectRef } from '../checker';
import {
  AMBIENT_REDIRECTION,
  DATAPLANE_MODE_LABEL,
  INJECTION_LABEL,
  REVISION_LABEL,
  SIDECAR_INJECT,
} from '../membership';

/**
 * A pod in a namespace labelled for injection that runs without the istio-proxy sidecar
 * (IST0103): usually created before the label, or injected by nothing. Pods opting out
 * (`sidecar.istio.io/inject: "false"`, label first), host-network pods, ambient pods and finished
 * pods are skipped; so are namespaces with conflicting injection labels.
 */
export const podSidecar = defineChecker({
  id: 'pod-sidecar',
  kind: 'Pod',
  check(pod, context) {
    if (pod.sidecar || pod.hostNetwork || pod.phase === 'Succeeded' || pod.phase === 'Failed') return;
    const labels = context.index.namespaces.get(pod.namespace)?.labels;
    if (!labels) return;
    const injection = labels[INJECTION_LABEL];
    const revision = labels[REVISION_LABEL];
    const mode = labels[DATAPLANE_MODE_LABEL];
    const injected =
      mode === undefined &&
      (injection === undefined ? revision !== undefined : injection === 'enabled' && revision === undefined);
    if (!injected) return;
    const optOut = pod.labels[SIDECAR_INJECT] ?? pod.annotations[SIDECAR_INJECT];
    if (optOut?.toLowerCase() === 'false' || pod.annotations[AMBIENT_REDIRECTION] === 'enabled') return;
    context.report(subjectRef('Pod', pod), {
      code: 'pod.sidecar.missing',
      path: 'spec.containers',
      message:
        `Pod ${pod.name} runs without the istio-proxy sidecar although namespace ${pod.namespace} is labelled for injection, so its traffic bypasses the mesh ` +
        '(no mTLS, policies or telemetry; STRICT peers refuse it). Restart its workload so the injector adds the sidecar.',
    });
  },
});
