import { describe, expect, it } from 'vitest';
import { findings, pod } from '../test-support';

const pods = `${pod('ingress-1', 'istio-system', { istio: 'ingressgateway', app: 'public' })}${pod('internal-1', 'istio-system', { istio: 'internal' })}`;

const gateway = (name: string, selector: string, servers: string) => `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: istio-system}
spec: {selector: ${selector}, servers: ${servers}}
---`;

const http = (port: number, host: string) =>
  `{port: {number: ${port}, name: http-${port}, protocol: HTTP}, hosts: ["${host}"]}`;
const tls = (host: string, credential: string) =>
  `{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["${host}"], tls: {mode: SIMPLE, credentialName: ${credential}}}`;

describe('gateway-conflicts', () => {
  it('reports Gateways on the same pods with an overlapping host on the same port', () => {
    const manifests =
      pods +
      gateway('alpha', '{istio: ingressgateway}', `[${http(80, 'foo.bar')}]`) +
      gateway('beta', '{app: public}', `[${http(90, 'x.y')}, ${http(80, '*.bar')}]`);
    expect(findings(manifests, 'gateway.server')).toEqual([
      'gateway.server.conflict Gateway istio-system/alpha spec.servers[0] IST0145 KIA0301',
      'gateway.server.conflict Gateway istio-system/beta spec.servers[1] IST0145 KIA0301',
    ]);
  });

  it('accepts other ports, other hosts, other pods and other bind addresses', () => {
    const manifests =
      pods +
      gateway('alpha', '{istio: ingressgateway}', `[${http(80, 'foo.bar')}]`) +
      gateway('beta', '{istio: ingressgateway}', `[${http(81, 'foo.bar')}, ${http(80, 'other.bar')}]`) +
      gateway('gamma', '{istio: internal}', `[${http(80, 'foo.bar')}]`) +
      gateway(
        'delta',
        '{istio: ingressgateway}',
        `[{port: {number: 80, name: http, protocol: HTTP}, hosts: [foo.bar], bind: 127.0.0.1}]`,
      );
    expect(findings(manifests, 'gateway.server')).toEqual([]);
  });

  it("reports a certificate shared with a Gateway whose pods this one's selector covers", () => {
    const manifests =
      pods +
      gateway('one', '{istio: ingressgateway}', `[${tls('a.example.com', 'wildcard')}]`) +
      gateway('two', '{istio: ingressgateway, app: public}', `[${tls('b.example.com', 'wildcard')}]`) +
      gateway('three', '{istio: ingressgateway}', `[${tls('c.example.com', 'own')}]`);
    expect(findings(manifests, 'gateway.tls.duplicate')).toEqual([
      'gateway.tls.duplicate-certificate Gateway istio-system/one spec.servers[0].tls IST0138',
    ]);
  });
});
