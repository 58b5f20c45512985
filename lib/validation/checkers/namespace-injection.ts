import { defineChecker, subjectRef } from '../checker';
import { DATAPLANE_MODE_LABEL, INJECTION_LABEL, REVISION_LABEL, SYSTEM_NAMESPACES } from '../membership';

/**
 * Sidecar injection of a namespace (Istio's `injection.Analyzer`): more than one injection mode
 * label (IST0123; `istio.io/rev` and the dataplane mode only count while `istio-injection` is
 * absent or enabled), no injection label at all (IST0102, or IST0148 when the injector enables
 * every namespace by default). Ambient namespaces, istio-system and Kubernetes' own namespaces
 * are skipped.
 */
export const namespaceInjection = defineChecker({
  id: 'namespace-injection',
  kind: 'Namespace',
  check(namespace, context) {
    const { index } = context;
    const name = namespace.name;
    if (name === 'istio-system' || name === index.rootNamespace || SYSTEM_NAMESPACES.has(name)) return;
    const labels = namespace.labels;
    const injection = labels[INJECTION_LABEL];
    const revision = labels[REVISION_LABEL];
    const mode = labels[DATAPLANE_MODE_LABEL];
    const subject = subjectRef('Namespace', namespace);
    const counted = [
      ...(injection !== undefined ? [INJECTION_LABEL] : []),
      ...(injection === undefined || injection === 'enabled'
        ? [
            ...(revision !== undefined ? [REVISION_LABEL] : []),
            ...(mode !== undefined ? [DATAPLANE_MODE_LABEL] : []),
          ]
        : []),
    ];
    if (counted.length > 1) {
      context.report(subject, {
        code: 'namespace.injection.multiple-labels',
        path: 'metadata.labels',
        message:
          `Namespace ${name} carries ${counted.join(', ')}, more than one way of joining the mesh; which one wins depends on the webhooks installed. ` +
          'Keep exactly one of them.',
      });
      return;
    }
    if (injection !== undefined || revision !== undefined || mode === 'ambient') return;
    if (index.mesh.injectNamespacesByDefault) {
      context.report(subject, {
        code: 'namespace.injection.enabled-by-default',
        path: 'metadata.labels',
        message: `Namespace ${name} has no injection label and is injected because the sidecar injector enables every namespace by default. Label it istio-injection=enabled (or disabled) to make that explicit.`,
      });
      return;
    }
    context.report(subject, {
      code: 'namespace.injection.missing',
      path: 'metadata.labels',
      message:
        `Namespace ${name} has neither istio-injection nor istio.io/rev, so its pods get no sidecar and stay outside the mesh (no mTLS, telemetry or routing rules). ` +
        `Run 'kubectl label namespace ${name} istio-injection=enabled' and restart its workloads, or label it istio-injection=disabled if that is deliberate.`,
    });
  },
});
