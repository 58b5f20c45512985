import { describe, expect, it } from 'vitest';
import { findings, service } from '../test-support';

const rules = `${service('reviews', 'default', { app: 'reviews' })}
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: all-v9, namespace: default}
spec: {host: "*.default.svc.cluster.local", subsets: [{name: v9, labels: {version: v9}}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: private, namespace: other}
spec: {host: reviews.default.svc.cluster.local, exportTo: ["."], subsets: [{name: v7, labels: {version: v7}}]}
---
`;

const route = (subset: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: to-${subset}, namespace: default}
spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews, subset: ${subset}}}]}]}
---`;

describe('vs-destination-subsets', () => {
  it('accepts subsets of the host, also from a wildcard DestinationRule', () => {
    expect(findings(rules + route('v1') + route('v9'), 'vs.destination.subset')).toEqual([]);
  });

  it('reports unknown subsets and subsets of DestinationRules this namespace does not see', () => {
    expect(findings(rules + route('bogus') + route('v7'), 'vs.destination.subset')).toEqual([
      'vs.destination.subset-not-found VirtualService default/to-bogus spec.http[0].route[0].destination.subset IST0101 KIA1107',
      'vs.destination.subset-not-found VirtualService default/to-v7 spec.http[0].route[0].destination.subset IST0101 KIA1107',
    ]);
  });
});
