import { describe, expect, it } from 'vitest';
import { findings } from '../test-support';

const canary = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: default}
spec: {hosts: [ratings], http: [{route: [{destination: {host: ratings, subset: v1}, weight: 90}, {destination: {host: ratings, subset: v2}, weight: 10}]}]}
---`;

const ingress = (destination: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ingress, namespace: default}
spec: {hosts: [ratings.example.com], gateways: [istio-system/public], http: [{route: [{destination: ${destination}}]}]}
---`;

describe('vs-ingress-subsets', () => {
  it('reports a gateway route that skips the subset split of its host', () => {
    expect(findings(canary + ingress('{host: ratings}'), 'vs.ingress')).toEqual([
      'vs.ingress.subset-routing-bypassed VirtualService default/ingress spec.http[0].route[0].destination.host IST0140',
    ]);
  });

  it('accepts gateway routes to a subset, and hosts nobody splits', () => {
    expect(findings(canary + ingress('{host: ratings, subset: v1}'), 'vs.ingress')).toEqual([]);
    expect(findings(ingress('{host: ratings}'), 'vs.ingress')).toEqual([]);
  });
});
