import { defineChecker, ref } from '../checker';
import { list, records, text } from '../spec';

/**
 * A ServiceEntry port that is TCP (or has no protocol) needs `addresses`: without one the proxy
 * can only match such traffic by port, so every TCP destination on that port goes to this entry
 * (IST0134). Addresses istiod allocated (`status.addresses`) and mesh-wide DNS auto-allocation
 * count, as in `istioctl analyze`.
 */
export const serviceEntryAddresses = defineChecker({
  id: 'serviceentry-addresses',
  kind: 'ServiceEntry',
  check(entry, context) {
    if (list(entry.spec.addresses).length > 0) return;
    if (list(entry.status?.addresses).length > 0) return;
    if (context.index.mesh.serviceEntryAddressAutoAllocation) return;
    records(entry.spec.ports).forEach((port, position) => {
      const protocol = text(port.protocol) ?? '';
      if (protocol !== '' && protocol.toUpperCase() !== 'TCP') return;
      context.report(ref(entry), {
        code: 'se.addresses.required',
        path: `spec.ports[${position}]`,
        message:
          `Port ${String(port.number ?? '?')} is ${protocol ? 'TCP' : 'without protocol (so TCP)'} and the ServiceEntry has no addresses, ` +
          "so the proxy cannot tell this host's connections from any other TCP traffic on that port. " +
          'Add addresses, enable DNS capture with address auto-allocation, or declare an application protocol (HTTP, TLS...).',
      });
    });
  },
});
