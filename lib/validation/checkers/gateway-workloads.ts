import type { IstioObject, PodInfo } from '../../types/mesh-config';
import type { CheckContext } from '../checker';
import { defineChecker, ref } from '../checker';
import { isEmptySelector, selectorMatches, selectorText } from '../labels';
import { at, integer, labelMap, record, records, text } from '../spec';

/** The pods a Gateway's selector picks: anywhere, or in its namespace with PILOT_SCOPE_GATEWAY_TO_NAMESPACE. */
export function gatewayPods(gateway: IstioObject, context: CheckContext): PodInfo[] {
  const { index } = context;
  const selector = labelMap(gateway.spec.selector);
  const namespace = index.mesh.scopeGatewayToNamespace ? gateway.namespace : undefined;
  return context.memo(`gateway-pods:${namespace ?? '*'}:${selectorText(selector)}`, [], () =>
    index.pods.select(namespace, selector),
  );
}

/** TCP ports (and target ports) of the Services selecting `pods`. */
function servicePorts(pods: PodInfo[], key: string, context: CheckContext): Set<number> {
  return context.memo(`gateway-service-ports:${key}`, [], () => {
    const ports = new Set<number>();
    const seen = new Set<string>();
    for (const pod of pods) {
      const signature = `${pod.namespace}\u0000${selectorText(pod.labels)}`;
      if (seen.has(signature)) continue;
      seen.add(signature);
      for (const service of context.index.servicesByNamespace.get(pod.namespace) ?? []) {
        if (isEmptySelector(service.selector) || !selectorMatches(service.selector, pod.labels)) continue;
        for (const port of service.ports) {
          if (port.protocol !== '' && port.protocol.toUpperCase() !== 'TCP') continue;
          ports.add(port.port);
          ports.add(port.targetPort);
        }
      }
    }
    return ports;
  });
}

/**
 * A Gateway must select gateway pods (IST0101 `selector`, KIA0302); each server port must be a
 * port (or target port) of a Service in front of those pods, or it is unreachable from outside
 * (IST0162); each TLS `credentialName` must be a Secret in the pods' namespace (IST0101
 * `credentialName`), checked when the snapshot lists Secrets.
 */
export const gatewayWorkloads = defineChecker({
  id: 'gateway-workloads',
  kind: 'Gateway',
  check(gateway, context) {
    const { index } = context;
    const subject = ref(gateway);
    const selector = labelMap(gateway.spec.selector);
    const pods = gatewayPods(gateway, context);
    if (pods.length === 0) {
      context.report(subject, {
        code: 'gateway.selector.no-workload',
        path: 'spec.selector',
        message:
          `No pod carries the labels ${selectorText(selector) || '(none)'}${index.mesh.scopeGatewayToNamespace ? ` in namespace ${gateway.namespace}` : ''}, ` +
          "so no gateway proxy serves this Gateway and its routes are unreachable. Fix the selector to match the gateway deployment's pod labels (for example istio: ingressgateway).",
      });
      return;
    }
    const servers = records(gateway.spec.servers);
    const ports = servicePorts(
      pods,
      `${index.mesh.scopeGatewayToNamespace ? gateway.namespace : '*'}:${selectorText(selector)}`,
      context,
    );
    servers.forEach((server, position) => {
      const number = integer(at(server, 'port', 'number'));
      if (number === undefined || ports.has(number)) return;
      context.report(subject, {
        code: 'gateway.port.not-on-service',
        path: `spec.servers[${position}].port.number`,
        message:
          `Port ${number} is not a port or target port of any Service in front of the gateway pods (${selectorText(selector)}), ` +
          'so clients outside the cluster cannot reach this server. Add the port to the gateway Service, or use a port it exposes.',
      });
    });
    if (!index.secrets) return;
    const namespaces = [...new Set(pods.map((pod) => pod.namespace))];
    servers.forEach((server, position) => {
      const credential = text(record(server.tls)?.credentialName);
      if (!credential || credential.includes('://')) return;
      const exists = credential.includes('/')
        ? index.secrets?.has(credential)
        : namespaces.some((namespace) => index.secrets?.has(`${namespace}/${credential}`));
      if (exists) return;
      context.report(subject, {
        code: 'gateway.tls.credential-not-found',
        path: `spec.servers[${position}].tls.credentialName`,
        message:
          `Secret "${credential}" does not exist in ${namespaces.join(', ') || '(none)'}, where the gateway pods run, ` +
          "so this server has no certificate and TLS handshakes fail. Create the Secret in the gateway pods' namespace, or fix credentialName.",
      });
    });
  },
});
