import type { IstioObject } from '../../types/mesh-config';
import { defineChecker, displayName, ref } from '../checker';
import { type MtlsConflict, mtlsConflicts, serviceList } from '../mtls';
import { text } from '../spec';
import { isMeshWideHost } from './dr-host';

function kialiCode(
  rule: IstioObject,
  conflict: MtlsConflict,
  clusterDomain: string,
  fqdn: string,
): string | null {
  const scope = isMeshWideHost(fqdn, clusterDomain)
    ? 'mesh'
    : fqdn === `*.${rule.namespace}.svc.${clusterDomain}`
      ? 'namespace'
      : 'host';
  if (conflict.client === 'ISTIO_MUTUAL')
    return scope === 'mesh' ? 'KIA0205' : scope === 'namespace' ? 'KIA0206' : null;
  return conflict.level === 'namespace' ? 'KIA0207' : conflict.level === 'mesh' ? 'KIA0208' : null;
}

/**
 * A DestinationRule whose TLS mode contradicts the PeerAuthentication of the pods it reaches, at
 * mesh, namespace or workload level: ISTIO_MUTUAL towards pods that accept plaintext only
 * (Kiali KIA0205/KIA0206), or DISABLE towards pods that require mTLS (KIA0207/KIA0208).
 * Requests between them fail.
 */
export const mtlsDestinationRules = defineChecker({
  id: 'mtls-destination-rules',
  kind: 'DestinationRule',
  check(rule, context) {
    const conflicts = mtlsConflicts(context).byRule.get(rule);
    if (!conflicts) return;
    const fqdn = context.index.fqdn(text(rule.spec.host) ?? '', rule.namespace);
    const byPolicy = new Map<IstioObject, MtlsConflict[]>();
    for (const conflict of conflicts)
      byPolicy.set(conflict.policy, [...(byPolicy.get(conflict.policy) ?? []), conflict]);
    for (const [policy, group] of byPolicy) {
      const first = group[0];
      if (!first) continue;
      const pods = group.flatMap((conflict) => conflict.pods.map((pod) => pod.name));
      const where = `${first.level}-level PeerAuthentication ${displayName(policy)}`;
      context.report(ref(rule), {
        code: 'dr.mtls.conflicts-with-peer-authentication',
        path: 'spec.trafficPolicy.tls.mode',
        kialiCode: kialiCode(rule, first, context.index.clusterDomain, fqdn),
        message:
          first.client === 'ISTIO_MUTUAL'
            ? `Clients of ${serviceList(group)} use Istio mTLS (ISTIO_MUTUAL) by this rule, but ${where} sets DISABLE on its pods (${pods.slice(0, 3).join(', ')}), which then accept plaintext only: these requests fail. ` +
              'Set tls.mode DISABLE here for those hosts, or make the PeerAuthentication PERMISSIVE or STRICT.'
            : `This rule turns TLS off (DISABLE) for ${serviceList(group)}, but ${where} requires mTLS (STRICT) on its pods (${pods.slice(0, 3).join(', ')}): their sidecars refuse these plaintext connections. ` +
              'Use ISTIO_MUTUAL (or no tls setting), or make the PeerAuthentication PERMISSIVE.',
      });
    }
  },
});
