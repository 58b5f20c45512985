import type { IstioObject } from '../../types/mesh-config';
import type { CheckContext } from '../checker';
import { defineChecker, displayName, ref } from '../checker';
import { hostsOverlap, splitNamespacedHost } from '../hosts';
import { isEmptySelector, selectorIsSubset, selectorText } from '../labels';
import { at, integer, type Json, labelMap, record, records, text, texts } from '../spec';

function peers(gateway: IstioObject, context: CheckContext): IstioObject[] {
  const { index } = context;
  const scoped = index.mesh.scopeGatewayToNamespace;
  return [...index.objectsOf('Gateway', scoped ? gateway.namespace : undefined)].filter(
    (other) => other !== gateway,
  );
}

/** Whether two Gateway selectors can pick the same pod: equal, or some pod carries both. */
function shareWorkload(a: Record<string, string>, b: Record<string, string>, context: CheckContext): boolean {
  if (selectorText(a) === selectorText(b)) return true;
  const merged: Record<string, string> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    if (key in merged && merged[key] !== value) return false;
    merged[key] = value;
  }
  return context.index.pods.some(undefined, merged);
}

function serverHosts(server: Json): string[] {
  return texts(server.hosts).map((entry) => splitNamespacedHost(entry).host);
}

function sameListener(a: Json, b: Json): boolean {
  const port = integer(at(a, 'port', 'number'));
  if (port === undefined || port !== integer(at(b, 'port', 'number'))) return false;
  return (text(a.bind) ?? '') === (text(b.bind) ?? '');
}

function sameCertificate(a: Json, b: Json): boolean {
  const left = text(a.credentialName) ?? '';
  const right = text(b.credentialName) ?? '';
  if (left && right) return left === right;
  if (left || right) return false;
  const certificate = text(a.serverCertificate);
  const key = text(a.privateKey);
  return !!certificate && !!key && certificate === text(b.serverCertificate) && key === text(b.privateKey);
}

/**
 * Gateways on the same pods must not claim an overlapping host on the same port and bind address:
 * the proxy cannot build both listeners and one server is dropped (IST0145, KIA0301). Gateways on
 * the same pods (this one's selector within the other's, as `istioctl analyze` tests it) should
 * not reuse one certificate: browsers reuse the HTTP/2 connection across both hosts and get 404s
 * (IST0138).
 */
export const gatewayConflicts = defineChecker({
  id: 'gateway-conflicts',
  kind: 'Gateway',
  check(gateway, context) {
    const subject = ref(gateway);
    const selector = labelMap(gateway.spec.selector);
    const servers = records(gateway.spec.servers);
    const others = peers(gateway, context);
    const sharing = others.filter((other) => shareWorkload(selector, labelMap(other.spec.selector), context));
    servers.forEach((server, position) => {
      const hosts = serverHosts(server);
      const rivals = sharing.filter((other) =>
        records(other.spec.servers).some(
          (theirs) =>
            sameListener(server, theirs) &&
            serverHosts(theirs).some((host) => hosts.some((mine) => hostsOverlap(mine, host))),
        ),
      );
      if (rivals.length === 0) return;
      context.report(subject, {
        code: 'gateway.server.conflict',
        path: `spec.servers[${position}]`,
        message:
          `Gateway${rivals.length > 1 ? 's' : ''} ${rivals.map(displayName).join(', ')} also serve${rivals.length > 1 ? '' : 's'} ${hosts.join(', ')} on port ${integer(at(server, 'port', 'number'))} ` +
          `of the same gateway pods (${selectorText(selector)}). The proxy keeps one of the conflicting servers and drops the other. Merge the servers into one Gateway, or use distinct hosts or ports.`,
      });
    });
    const certificatePeers = others.filter(
      (other) => isEmptySelector(selector) || selectorIsSubset(selector, labelMap(other.spec.selector)),
    );
    servers.forEach((server, position) => {
      const tls = record(server.tls);
      if (!tls) return;
      for (const other of certificatePeers) {
        if (
          !records(other.spec.servers).some(
            (theirs) => record(theirs.tls) && sameCertificate(tls, record(theirs.tls) ?? {}),
          )
        )
          continue;
        context.report(subject, {
          code: 'gateway.tls.duplicate-certificate',
          path: `spec.servers[${position}].tls`,
          message:
            `Gateway ${displayName(other)} serves the same certificate${text(tls.credentialName) ? ` (${text(tls.credentialName)})` : ''} on the same gateway pods. ` +
            "Browsers reuse one HTTP/2 connection for every host of a certificate and then get 404 from the other Gateway's hosts. Use one certificate per Gateway, or merge the servers into one Gateway.",
        });
      }
    });
  },
});
