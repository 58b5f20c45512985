import { defineChecker, displayName, ref } from '../checker';
import { exportScope, scopesIntersect } from '../hosts';
import { integer, records, text, texts } from '../spec';

/**
 * ServiceEntries visible in a common namespace that define the same host and port: with
 * different protocols (IST0177, Kiali KIA1212) the proxy picks one and the other's traffic is
 * handled as the wrong protocol; with the same protocol (Kiali KIA1211) they are merged and one
 * definition's resolution and endpoints may silently win. Reported once per ServiceEntry.
 */
export const serviceEntryConflicts = defineChecker({
  id: 'serviceentry-conflicts',
  kind: 'ServiceEntry',
  check(entry, context) {
    const { index } = context;
    const scope = exportScope(texts(entry.spec.exportTo), entry.namespace);
    const ports = records(entry.spec.ports);
    let protocolConflict: string | undefined;
    let duplicate: string | undefined;
    for (const written of texts(entry.spec.hosts)) {
      const host = index.fqdn(written, entry.namespace);
      for (const other of index.serviceEntriesByHost.exactly(host)) {
        if (other === entry) continue;
        if (!scopesIntersect(scope, exportScope(texts(other.spec.exportTo), other.namespace))) continue;
        for (const port of ports) {
          const number = integer(port.number);
          const theirs = records(other.spec.ports).find((candidate) => integer(candidate.number) === number);
          if (number === undefined || !theirs) continue;
          const mine = (text(port.protocol) ?? '').toUpperCase();
          const their = (text(theirs.protocol) ?? '').toUpperCase();
          if (mine !== their) {
            protocolConflict ??=
              `ServiceEntry ${displayName(other)} also defines ${host} port ${number}, as ${their || 'no protocol'} where this one says ${mine || 'no protocol'}. ` +
              "The proxy builds one listener for the port and treats the other's traffic as the wrong protocol. Agree on one protocol, or merge the entries.";
          } else {
            duplicate ??=
              `ServiceEntry ${displayName(other)} also defines ${host} port ${number}. ` +
              'Istio merges them, and the resolution, endpoints and locations of only one of them apply. Keep one ServiceEntry per host.';
          }
        }
      }
    }
    if (protocolConflict) {
      context.report(ref(entry), {
        code: 'se.port.protocol-conflict',
        path: 'spec.ports',
        message: protocolConflict,
      });
    } else if (duplicate) {
      context.report(ref(entry), { code: 'se.host.duplicate', path: 'spec.hosts', message: duplicate });
    }
  },
});
