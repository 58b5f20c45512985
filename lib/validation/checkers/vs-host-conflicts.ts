import { defineChecker, displayName, ref } from '../checker';
import { exportScope, hostsOverlap, scopesIntersect } from '../hosts';
import { isMeshBound } from '../mesh-index';
import { texts } from '../spec';

/**
 * Two VirtualServices bound to the mesh (sidecars) must not claim the same host for the same
 * namespaces: sidecars then use one of them and ignore the other (IST0109, KIA1106). As in
 * `istioctl analyze`, hosts conflict when they are equal and both are visible in a common
 * namespace, or when one is exported everywhere and a wildcard makes them overlap.
 */
export const vsHostConflicts = defineChecker({
  id: 'vs-host-conflicts',
  kind: 'VirtualService',
  check(virtualService, context) {
    if (!isMeshBound(virtualService)) return;
    const { index } = context;
    const scope = exportScope(texts(virtualService.spec.exportTo), virtualService.namespace);
    const hosts = texts(virtualService.spec.hosts);
    for (let position = 0; position < hosts.length; position++) {
      const host = index.fqdn(hosts[position] ?? '', virtualService.namespace);
      const rivals = index.meshVirtualServicesByHost.overlapping(host).filter((other) => {
        if (other === virtualService) return false;
        const otherScope = exportScope(texts(other.spec.exportTo), other.namespace);
        if (!scopesIntersect(scope, otherScope)) return false;
        return texts(other.spec.hosts).some((otherHost) => {
          const fqdn = index.fqdn(otherHost, other.namespace);
          return fqdn === host || (scope.all !== otherScope.all && hostsOverlap(fqdn, host));
        });
      });
      if (rivals.length === 0) continue;
      context.report(ref(virtualService), {
        code: 'vs.host.conflict',
        path: `spec.hosts[${position}]`,
        message:
          `Host ${host} is also claimed for the mesh by ${rivals.map(displayName).join(', ')}. ` +
          'Sidecars apply only one VirtualService per host, so the rules of the others are silently ignored. ' +
          'Merge them into one VirtualService, or narrow their hosts or exportTo.',
      });
      return;
    }
  },
});
