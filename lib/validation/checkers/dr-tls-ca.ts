import type { FindingInput } from '../checker';
import { defineChecker, ref } from '../checker';
import { at, integer, type Json, record, records, text } from '../spec';

function missingCa(tls: Json | undefined): string | undefined {
  const mode = text(tls?.mode);
  if (mode !== 'SIMPLE' && mode !== 'MUTUAL') return undefined;
  return text(tls?.caCertificates) ? undefined : mode;
}

/**
 * TLS origination (mode SIMPLE or MUTUAL) without `caCertificates` does not verify the upstream's
 * certificate (IST0128 at the top level, IST0129 per port). Subset traffic policies are checked
 * too (Istio does not). As in `istioctl analyze`, a `credentialName` on a DestinationRule with a
 * workloadSelector (a gateway's) brings its own CA.
 */
export const drTlsCa = defineChecker({
  id: 'dr-tls-ca',
  kind: 'DestinationRule',
  check(rule, context) {
    const host = text(rule.spec.host) ?? '';
    const hasSelector = record(rule.spec.workloadSelector) !== undefined;
    const inspect = (policy: Json | undefined, path: string, subset: string | undefined) => {
      if (!policy) return;
      const report = (tls: Json | undefined, tlsPath: string, port: number | undefined) => {
        const mode = missingCa(tls);
        if (!mode || (hasSelector && text(tls?.credentialName))) return;
        const finding: FindingInput = {
          code: 'dr.tls.no-ca-certificates',
          path: `${tlsPath}.mode`,
          message:
            `TLS mode ${mode} to ${host}${port === undefined ? '' : ` port ${port}`}${subset ? ` (subset ${subset})` : ''} sets no caCertificates, ` +
            "so the upstream's certificate is not verified against a CA you chose and a man in the middle goes unnoticed. " +
            'Set caCertificates (or a credentialName holding ca.crt).',
          istioCode: subset ? null : port === undefined ? 'IST0128' : 'IST0129',
        };
        context.report(ref(rule), finding);
      };
      report(record(policy.tls), `${path}.tls`, undefined);
      records(policy.portLevelSettings).forEach((settings, position) => {
        report(
          record(settings.tls),
          `${path}.portLevelSettings[${position}].tls`,
          integer(at(settings, 'port', 'number')),
        );
      });
    };
    inspect(record(rule.spec.trafficPolicy), 'spec.trafficPolicy', undefined);
    records(rule.spec.subsets).forEach((subset, position) => {
      inspect(
        record(subset.trafficPolicy),
        `spec.subsets[${position}].trafficPolicy`,
        text(subset.name) ?? `#${position}`,
      );
    });
  },
});
