import { defineChecker, ref } from '../checker';
import { isWildcardHost, splitNamespacedHost, toFqdn, visibleIn } from '../hosts';
import { records, texts } from '../spec';

/**
 * Each Sidecar egress host (`namespace/dnsName`) should name something: a namespace that exists
 * and, unless the name is `*`, a Service or ServiceEntry host there that this namespace sees
 * (Kiali KIA1004). Otherwise the sidecar imports nothing for it and calls to it fail (or go
 * out as passthrough traffic).
 */
export const sidecarEgress = defineChecker({
  id: 'sidecar-egress',
  kind: 'Sidecar',
  check(sidecar, context) {
    const { index } = context;
    records(sidecar.spec.egress).forEach((listener, listenerPosition) => {
      texts(listener.hosts).forEach((entry, position) => {
        const path = `spec.egress[${listenerPosition}].hosts[${position}]`;
        const { namespace: written, host } = splitNamespacedHost(entry);
        if (written === '~') return;
        const namespace = written === '.' ? sidecar.namespace : written;
        if (namespace !== '*' && index.namespaces.size > 0 && !index.namespaces.has(namespace)) {
          context.report(ref(sidecar), {
            code: 'sidecar.egress.host-not-found',
            path,
            message: `Egress host "${entry}" names namespace ${namespace}, which does not exist, so nothing is imported for it. Fix the namespace.`,
          });
          return;
        }
        if (host === '*' || host === '') return;
        const fqdn =
          isWildcardHost(host) || host.includes('.')
            ? host
            : toFqdn(host, namespace === '*' ? sidecar.namespace : namespace, index.clusterDomain);
        const found = index.registry
          .overlapping(fqdn)
          .some(
            (service) =>
              (namespace === '*' || service.namespace === namespace) &&
              visibleIn(service.scope, sidecar.namespace),
          );
        if (found) return;
        context.report(ref(sidecar), {
          code: 'sidecar.egress.host-not-found',
          path,
          message:
            `Egress host "${entry}" matches no Service or ServiceEntry ${namespace === '*' ? '' : `of namespace ${namespace} `}visible from namespace ${sidecar.namespace}. ` +
            'Pods using this Sidecar cannot reach it through the mesh. Fix the host, or export the service to this namespace.',
        });
      });
    });
  },
});
