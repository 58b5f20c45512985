import { describe, expect, it } from 'vitest';
import { findings } from '../test-support';

const vs = (delay: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: productpage, namespace: foo}
spec: {hosts: [productpage], http: [{fault: {delay: {${delay}, fixedDelay: 5s}}, route: [{destination: {host: productpage}}]}]}
---`;

const sidecar = (policy: string) => `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: default}
spec: {egress: [{hosts: ["./*"]}], outboundTrafficPolicy: ${policy}}
---`;

describe('deprecations', () => {
  it('reports fault.delay.percent and outboundTrafficPolicy.egressProxy', () => {
    expect(
      findings(
        vs('percent: 50') + sidecar('{mode: ALLOW_ANY, egressProxy: {host: example, port: {number: 9080}}}'),
        '',
        {},
      ).filter((line) => line.includes('deprecated')),
    ).toEqual([
      'sidecar.egress-proxy.deprecated Sidecar default/default spec.outboundTrafficPolicy.egressProxy IST0002',
      'vs.fault.delay-percent.deprecated VirtualService foo/productpage spec.http[0].fault.delay.percent IST0002',
    ]);
  });

  it('accepts percentage and a plain outbound policy', () => {
    expect(
      findings(vs('percentage: {value: 50}') + sidecar('{mode: REGISTRY_ONLY}'), '').filter((line) =>
        line.includes('deprecated'),
      ),
    ).toEqual([]);
  });
});
