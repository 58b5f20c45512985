import type { IstioObject } from '../../types/mesh-config';
import { defineChecker, displayName, ref } from '../checker';
import { type MtlsConflict, mtlsConflicts, serviceList } from '../mtls';

function kialiCode(conflict: MtlsConflict): string | null {
  if (conflict.level === 'workload') return null;
  if (conflict.client === 'PLAINTEXT') return conflict.level === 'mesh' ? 'KIA0401' : 'KIA0501';
  if (conflict.client === 'ISTIO_MUTUAL') return conflict.level === 'mesh' ? 'KIA0506' : 'KIA0505';
  return null;
}

/**
 * A PeerAuthentication whose mode contradicts how clients reach its pods, at mesh, namespace or
 * workload level: STRICT while clients send plaintext (a DestinationRule with DISABLE, or no TLS
 * setting with auto mTLS off: Kiali KIA0401/KIA0501), or DISABLE while a DestinationRule makes
 * clients use ISTIO_MUTUAL (KIA0505/KIA0506). Requests between them fail.
 */
export const mtlsPeerAuthentications = defineChecker({
  id: 'mtls-peer-authentications',
  kind: 'PeerAuthentication',
  check(policy, context) {
    const conflicts = mtlsConflicts(context).byPolicy.get(policy);
    if (!conflicts) return;
    const byRule = new Map<IstioObject | undefined, MtlsConflict[]>();
    for (const conflict of conflicts)
      byRule.set(conflict.rule, [...(byRule.get(conflict.rule) ?? []), conflict]);
    for (const [rule, group] of byRule) {
      const first = group[0];
      if (!first) continue;
      let message: string;
      if (first.client === 'PLAINTEXT') {
        message =
          `Auto mTLS is off and no DestinationRule sets tls.mode ISTIO_MUTUAL for ${serviceList(group)}, so clients send plaintext, which this STRICT policy refuses. ` +
          'Add a DestinationRule with ISTIO_MUTUAL (mesh-wide `*.local` or per host), enable auto mTLS, or make this policy PERMISSIVE.';
      } else if (first.client === 'DISABLE') {
        message =
          `DestinationRule ${rule ? displayName(rule) : ''} turns TLS off for ${serviceList(group)}, whose pods this policy makes STRICT: those plaintext connections are refused. ` +
          'Remove the DISABLE from the DestinationRule, or make this policy PERMISSIVE for those workloads.';
      } else {
        message =
          `DestinationRule ${rule ? displayName(rule) : ''} makes clients use Istio mTLS to ${serviceList(group)}, whose pods this policy sets to DISABLE (plaintext only): those requests fail. ` +
          'Use PERMISSIVE here, or set tls.mode DISABLE in the DestinationRule for those hosts.';
      }
      context.report(ref(policy), {
        code: 'peerauthentication.mtls.conflicts-with-destination-rule',
        path: 'spec.mtls.mode',
        kialiCode: kialiCode(first),
        message,
      });
    }
  },
});
