import type { IstioKind } from '../../types/mesh-config';
import type { FindingSeverity } from '../../types/validation';
import { type Checker, defineChecker, ref } from '../checker';
import { at, records, text } from '../spec';

const LEVELS: Record<string, FindingSeverity> = { ERROR: 'error', WARNING: 'warning', INFO: 'info' };

const KINDS: readonly IstioKind[] = [
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'ServiceEntry',
  'Sidecar',
  'EnvoyFilter',
  'WorkloadEntry',
  'PeerAuthentication',
  'RequestAuthentication',
  'AuthorizationPolicy',
  'Telemetry',
];

/**
 * istiod's own analysis (PILOT_ENABLE_ANALYSIS), as it wrote it into `status.validationMessages`:
 * passed through with its IST code and level. The validator drops such a message when one of our
 * checks reports the same code on the same object.
 */
export const istiodStatusCheckers: readonly Checker[] = KINDS.map((kind) =>
  defineChecker({
    id: 'istiod-status',
    kind,
    check(object, context) {
      records(object.status?.validationMessages).forEach((message, position) => {
        const code = text(at(message, 'type', 'code'));
        if (!code) return;
        const name = text(at(message, 'type', 'name'));
        const url = text(message.documentationUrl);
        context.report(ref(object), {
          code: 'istiod.validation-message',
          path: `status.validationMessages[${position}]`,
          istioCode: code,
          severity: LEVELS[(text(message.level) ?? '').toUpperCase()] ?? 'warning',
          message:
            `istiod's analysis reports ${code}${name ? ` (${name})` : ''} for this object.` +
            (url ? ` What it means and how to fix it: ${url}` : ''),
        });
      });
    },
  }),
);
