import { describe, expect, it } from 'vitest';
import { findings } from '../test-support';

const rule = (name: string, spec: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: default}
spec: {host: db.example.com, ${spec}}
---`;

describe('dr-tls-ca', () => {
  it('reports SIMPLE and MUTUAL origination without caCertificates, per level', () => {
    const manifests =
      rule('top', 'trafficPolicy: {tls: {mode: SIMPLE}}') +
      rule(
        'port',
        'trafficPolicy: {portLevelSettings: [{port: {number: 5432}, tls: {mode: MUTUAL, clientCertificate: /c, privateKey: /k}}]}',
      ) +
      rule('subset', 'subsets: [{name: v1, labels: {v: "1"}, trafficPolicy: {tls: {mode: SIMPLE}}}]');
    expect(findings(manifests, 'dr.tls')).toEqual([
      'dr.tls.no-ca-certificates DestinationRule default/port spec.trafficPolicy.portLevelSettings[0].tls.mode IST0129',
      'dr.tls.no-ca-certificates DestinationRule default/subset spec.subsets[0].trafficPolicy.tls.mode',
      'dr.tls.no-ca-certificates DestinationRule default/top spec.trafficPolicy.tls.mode IST0128',
    ]);
  });

  it('accepts a CA, ISTIO_MUTUAL, and a credentialName on a gateway DestinationRule', () => {
    const manifests =
      rule('ca', 'trafficPolicy: {tls: {mode: SIMPLE, caCertificates: /etc/ca.pem}}') +
      rule('istio', 'trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}') +
      rule(
        'gateway',
        'workloadSelector: {matchLabels: {istio: egressgateway}}, trafficPolicy: {tls: {mode: SIMPLE, credentialName: db-ca}}',
      );
    expect(findings(manifests, 'dr.tls')).toEqual([]);
  });
});
