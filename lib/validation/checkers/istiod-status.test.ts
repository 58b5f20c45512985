import { describe, expect, it } from 'vitest';
import { findings } from '../test-support';

const withStatus = (code: string, level: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews-bogus}}]}]}
status:
  validationMessages:
  - {documentationUrl: "https://istio.io/v1.31/docs/reference/config/analysis/${code.toLowerCase()}/", level: ${level}, type: {code: ${code}, name: Something}}
---`;

describe('istiod-status', () => {
  it("passes istiod's messages through with their code and level", () => {
    expect(findings(withStatus('IST0140', 'INFO'), 'istiod.')).toEqual([
      'istiod.validation-message VirtualService default/reviews status.validationMessages[0] IST0140',
    ]);
  });

  it('drops a message our own checks already report on the object', () => {
    expect(findings(withStatus('IST0101', 'ERROR'), 'istiod.')).toEqual([]);
  });

  it('reports nothing without status', () => {
    expect(findings(withStatus('IST0101', 'ERROR').replace(/status:[\s\S]*$/, '---'), 'istiod.')).toEqual([]);
  });
});
