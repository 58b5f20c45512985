import type { IstioObject } from '../../types/mesh-config';
import type { CheckContext } from '../checker';
import { defineChecker, displayName, ref } from '../checker';
import { destinationsOf } from '../mesh-index';
import { texts } from '../spec';

/** FQDN host → VirtualServices that route that host (one of their own hosts) to a subset. */
function subsetRoutedHosts(context: CheckContext): Map<string, IstioObject[]> {
  return context.memo('vs-ingress-subsets', ['VirtualService'], () => {
    const { index } = context;
    const result = new Map<string, IstioObject[]>();
    for (const virtualService of index.objectsOf('VirtualService')) {
      const own = new Set(
        texts(virtualService.spec.hosts).map((host) => index.fqdn(host, virtualService.namespace)),
      );
      for (const destination of destinationsOf(virtualService)) {
        if (
          destination.mirror ||
          destination.subset === undefined ||
          !destination.path.startsWith('spec.http')
        )
          continue;
        const host = index.fqdn(destination.host, virtualService.namespace);
        if (!own.has(host)) continue;
        const list = result.get(host) ?? [];
        if (!list.includes(virtualService)) list.push(virtualService);
        result.set(host, list);
      }
    }
    return result;
  });
}

/**
 * A gateway-bound VirtualService that routes a host without subset while another VirtualService
 * splits that host by subset: requests entering through the gateway bypass that subset routing
 * (IST0140), a frequent surprise in canary roll-outs.
 */
export const vsIngressSubsets = defineChecker({
  id: 'vs-ingress-subsets',
  kind: 'VirtualService',
  check(virtualService, context) {
    const gateways = texts(virtualService.spec.gateways).filter((gateway) => gateway !== 'mesh');
    if (gateways.length === 0) return;
    const routed = subsetRoutedHosts(context);
    for (const destination of destinationsOf(virtualService)) {
      if (destination.mirror || destination.subset !== undefined || !destination.path.startsWith('spec.http'))
        continue;
      const host = context.index.fqdn(destination.host, virtualService.namespace);
      for (const other of routed.get(host) ?? []) {
        context.report(ref(virtualService), {
          code: 'vs.ingress.subset-routing-bypassed',
          path: `${destination.path}.host`,
          message:
            `VirtualService ${displayName(other)} routes ${host} by subset, but this route, applied at gateway ${gateways.join(', ')}, ` +
            'sends to the host without a subset: requests entering through the gateway reach every version. ' +
            `Route to the intended subsets here too, or bind ${displayName(other)} to the gateway as well.`,
        });
      }
    }
  },
});
