import { defineChecker, subjectRef } from '../checker';
import { SYSTEM_NAMESPACES } from '../membership';

const PROTOCOLS = new Set([
  'TCP',
  'UDP',
  'GRPC',
  'GRPC-WEB',
  'HTTP',
  'HTTP_PROXY',
  'HTTP2',
  'HTTPS',
  'TLS',
  'MONGO',
  'REDIS',
  'MYSQL',
]);
/** Ports Istio never sniffs: taken as TCP whatever their name (`pkg/config/kube/conversion.go`). */
const WELL_KNOWN_PORTS = new Set([25, 53, 3306, 27017]);
const KUBERNETES_APP_PROTOCOLS = new Set(['kubernetes.io/h2c', 'kubernetes.io/ws', 'kubernetes.io/wss']);
const MANAGED_GATEWAY = new Set([
  'istio.io-gateway-controller',
  'istio.io-mesh-controller',
  'istio.io-eastwest-controller',
]);

/** Whether Istio can tell the protocol of a Service port (from `appProtocol`, else the name's prefix). */
export function portProtocolKnown(port: {
  port: number;
  name: string;
  protocol: string;
  appProtocol?: string;
}): boolean {
  if (port.protocol.toUpperCase() === 'UDP') return true;
  const name = port.appProtocol ?? port.name;
  if (port.appProtocol !== undefined && KUBERNETES_APP_PROTOCOLS.has(port.appProtocol)) return true;
  if (name.toLowerCase().startsWith('grpc-web')) return true;
  const dash = name.indexOf('-');
  const prefix = (dash >= 0 ? name.slice(0, dash) : name).toUpperCase();
  return PROTOCOLS.has(prefix) || WELL_KNOWN_PORTS.has(port.port);
}

/**
 * Service ports must say their protocol, by `appProtocol` or a `<protocol>[-suffix]` name, or
 * Istio falls back to protocol sniffing, which breaks server-first protocols and loses HTTP
 * routing (IST0118, Kiali KIA0601/KIA0602). ExternalName Services must not use such names either
 * (IST0150). Control-plane, gateway-managed and kube-system Services are skipped.
 */
export const servicePorts = defineChecker({
  id: 'service-ports',
  kind: 'Service',
  check(service, context) {
    if (SYSTEM_NAMESPACES.has(service.namespace)) return;
    if ('istio' in service.labels || service.labels.release === 'istio') return;
    if (MANAGED_GATEWAY.has(service.labels['gateway.istio.io/managed'] ?? '')) return;
    const externalName = service.type === 'ExternalName';
    service.ports.forEach((port, position) => {
      const known = portProtocolKnown(port);
      if (known && !(externalName && port.name === 'tcp')) return;
      const label = port.name ? `"${port.name}"` : '(unnamed)';
      context.report(
        subjectRef('Service', service),
        externalName
          ? {
              code: 'service.port.external-name-invalid',
              path: `spec.ports[${position}]`,
              message:
                `Port ${label} (${port.port}) of this ExternalName Service is named tcp or names no protocol, so the proxy may refuse to forward its traffic. ` +
                'Name it after its protocol (http-…, https-…, tls-…).',
            }
          : {
              code: 'service.port.protocol-unknown',
              path: `spec.ports[${position}]${port.appProtocol !== undefined ? '.appProtocol' : '.name'}`,
              kialiCode: port.appProtocol !== undefined ? 'KIA0602' : undefined,
              message:
                `Port ${label} (${port.port}${port.appProtocol !== undefined ? `, appProtocol ${port.appProtocol}` : ''}) names no protocol Istio knows, ` +
                'so the proxy sniffs it: HTTP routing, retries and metrics may not apply, and server-first protocols can stall. ' +
                'Set appProtocol (http, http2, grpc, tcp, tls...) or name the port <protocol>[-suffix].',
            },
      );
    });
  },
});
