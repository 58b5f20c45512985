import type { IstioObject } from '../../types/mesh-config';
import { defineChecker, ref } from '../checker';
import { destinationsOf } from '../mesh-index';
import { texts } from '../spec';

/**
 * The namespaces a VirtualService's destinations must be visible from: its own namespace, or the
 * namespaces it is exported to (as `istioctl analyze` resolves them; `*` sees only hosts exported
 * everywhere).
 */
export function exportedNamespaces(object: IstioObject): string[] {
  const exportTo = texts(object.spec.exportTo);
  if (exportTo.length === 0) return [object.namespace];
  return exportTo.map((entry) => (entry === '.' ? object.namespace : entry));
}

/**
 * Route and mirror destinations must name a Service or ServiceEntry host visible from the
 * VirtualService, on a port that host has, and must name the port when the host has several
 * (Istio's `virtualservice.DestinationHostAnalyzer`: IST0101, IST0112).
 */
export const vsDestinationHosts = defineChecker({
  id: 'vs-destination-hosts',
  kind: 'VirtualService',
  check(virtualService, context) {
    const { index } = context;
    const subject = ref(virtualService);
    const namespaces = exportedNamespaces(virtualService);
    for (const destination of destinationsOf(virtualService)) {
      const host = index.fqdn(destination.host, virtualService.namespace);
      const entry = index.registry.resolve(host, namespaces);
      const what = destination.mirror ? 'Mirror' : 'Route destination';
      if (!entry) {
        context.report(subject, {
          code: destination.mirror ? 'vs.mirror.host-not-found' : 'vs.destination.host-not-found',
          path: `${destination.path}.host`,
          message:
            destination.host === ''
              ? `${what} has no host, so its traffic has nowhere to go. Set destination.host to a Service or ServiceEntry host.`
              : `${what} host "${destination.host}" (${host}) is not a Service or ServiceEntry host visible from namespace ${namespaces.join(', ')}. ` +
                `${destination.mirror ? 'Mirrored copies are dropped' : 'Requests taking this route fail with 503'}. ` +
                'Fix the host name, create the Service or ServiceEntry, or export it to this namespace.',
        });
        continue;
      }
      if (destination.port === undefined) {
        if (entry.ports.length > 1) {
          const ports = entry.ports.map((port) => port.number).join(', ');
          context.report(subject, {
            code: 'vs.destination.port-required',
            path: destination.path,
            message:
              `${what} "${destination.host}" has several ports (${ports}) and the destination names none, ` +
              'so Istio cannot tell which one the rule is for. Add destination.port.number.',
          });
        }
      } else if (!entry.ports.some((port) => port.number === destination.port)) {
        const ports = entry.ports.map((port) => port.number).join(', ') || 'none';
        context.report(subject, {
          code: 'vs.destination.port-not-found',
          path: `${destination.path}.port.number`,
          message:
            `${what} port ${destination.port} is not a port of "${destination.host}" (its ports: ${ports}). ` +
            "Traffic for this route has no upstream. Use one of the host's ports.",
        });
      }
    }
  },
});
