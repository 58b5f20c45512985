import { defineChecker, ref } from '../checker';
import { at, records } from '../spec';

/** `fault.delay.percent` (an integer) was replaced by `fault.delay.percentage.value` (IST0002). */
export const virtualServiceDeprecations = defineChecker({
  id: 'deprecations',
  kind: 'VirtualService',
  check(virtualService, context) {
    records(virtualService.spec.http).forEach((rule, position) => {
      const percent = at(rule, 'fault', 'delay', 'percent');
      if (typeof percent !== 'number' || percent <= 0) return;
      context.report(ref(virtualService), {
        code: 'vs.fault.delay-percent.deprecated',
        path: `spec.http[${position}].fault.delay.percent`,
        message: `fault.delay.percent is deprecated and may stop working in a future Istio release. Write percentage: {value: ${percent}} instead.`,
      });
    });
  },
});

/** `outboundTrafficPolicy.egressProxy` of a Sidecar is deprecated and ignored (IST0002). */
export const sidecarDeprecations = defineChecker({
  id: 'deprecations',
  kind: 'Sidecar',
  check(sidecar, context) {
    if (at(sidecar.spec, 'outboundTrafficPolicy', 'egressProxy') === undefined) return;
    context.report(ref(sidecar), {
      code: 'sidecar.egress-proxy.deprecated',
      path: 'spec.outboundTrafficPolicy.egressProxy',
      message:
        'outboundTrafficPolicy.egressProxy is deprecated and ignored, so unknown destinations are not sent to that proxy. ' +
        'Route external traffic through an egress gateway with a ServiceEntry and a VirtualService instead.',
    });
  },
});
