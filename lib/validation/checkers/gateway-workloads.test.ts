import { describe, expect, it } from 'vitest';
import { findings, pod, service } from '../test-support';

const ingress = `${pod('ingress-1', 'istio-system', { istio: 'ingressgateway' })}${service('istio-ingressgateway', 'istio-system', { istio: 'ingressgateway' }, '[{name: http2, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}, {name: udp, port: 53, protocol: UDP}]')}
apiVersion: v1
kind: Secret
metadata: {name: shop-cert, namespace: istio-system}
---`;

const gateway = (name: string, selector: string, servers: string) => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: default}
spec: {selector: ${selector}, servers: ${servers}}
---`;

const https = (credential: string) =>
  `[{port: {number: 443, name: https, protocol: HTTPS}, hosts: [shop.example.com], tls: {mode: SIMPLE, credentialName: ${credential}}}]`;

describe('gateway-workloads', () => {
  it('accepts a selector with pods, Service ports or target ports, and an existing credential', () => {
    const manifests =
      ingress +
      gateway(
        'ok',
        '{istio: ingressgateway}',
        '[{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]',
      ) +
      gateway('tls', '{istio: ingressgateway}', https('shop-cert'));
    expect(findings(manifests, 'gateway.')).toEqual([]);
  });

  it('reports a selector without pods and nothing else for that Gateway', () => {
    const manifests = ingress + gateway('typo', '{istio: ingresgateway}', https('missing'));
    expect(findings(manifests, 'gateway.')).toEqual([
      'gateway.selector.no-workload Gateway default/typo spec.selector IST0101 KIA0302',
    ]);
  });

  it('reports ports the gateway Service does not expose (UDP ports do not count) and missing credentials', () => {
    const manifests =
      ingress +
      gateway(
        'ports',
        '{istio: ingressgateway}',
        '[{port: {number: 8004, name: http, protocol: HTTP}, hosts: ["*"]}, {port: {number: 53, name: dns, protocol: TCP}, hosts: ["*"]}]',
      ) +
      gateway('tls', '{istio: ingressgateway}', https('missing'));
    expect(findings(manifests, 'gateway.')).toEqual([
      'gateway.port.not-on-service Gateway default/ports spec.servers[0].port.number IST0162',
      'gateway.port.not-on-service Gateway default/ports spec.servers[1].port.number IST0162',
      'gateway.tls.credential-not-found Gateway default/tls spec.servers[0].tls.credentialName IST0101',
    ]);
  });

  it('leaves credentials unchecked when the snapshot does not list Secrets', async () => {
    const { snapshotOf } = await import('../test-support');
    const { validate } = await import('../validate');
    const snapshot = snapshotOf(ingress + gateway('tls', '{istio: ingressgateway}', https('missing')));
    delete snapshot.secrets;
    expect(validate(snapshot).filter((finding) => finding.code.startsWith('gateway.'))).toEqual([]);
  });
});
