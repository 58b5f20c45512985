import { describe, expect, it } from 'vitest';
import { findings, service } from '../test-support';

const rule = (name: string, namespace: string, spec: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: ${namespace}}
spec: {host: reviews.default.svc.cluster.local, ${spec}}
---`;

describe('dr-conflicts', () => {
  it('reports DestinationRules of one namespace defining the same subset, or both a traffic policy, for one host', () => {
    const manifests =
      service('reviews', 'default', { app: 'reviews' }) +
      rule('a', 'default', 'subsets: [{name: v1, labels: {version: v1}}]') +
      rule(
        'b',
        'default',
        'subsets: [{name: v2, labels: {version: v2}}, {name: v1, labels: {version: v1}}]',
      ) +
      rule(
        'c',
        'default',
        'trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}, subsets: [{name: v3, labels: {version: v3}}]',
      ) +
      rule('d', 'default', 'trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}');
    expect(findings(manifests, 'dr.host.conflict')).toEqual([
      'dr.host.conflict DestinationRule default/a spec.subsets[0] KIA0201',
      'dr.host.conflict DestinationRule default/b spec.subsets[1] KIA0201',
      'dr.host.conflict DestinationRule default/c spec.trafficPolicy KIA0201',
      'dr.host.conflict DestinationRule default/d spec.trafficPolicy KIA0201',
    ]);
  });

  it('accepts disjoint subsets, other namespaces, disjoint exportTo and gateway-scoped rules', () => {
    const manifests =
      service('reviews', 'default', { app: 'reviews' }) +
      rule('a', 'default', 'exportTo: ["."], subsets: [{name: v1, labels: {version: v1}}]') +
      rule('b', 'default', 'subsets: [{name: v2, labels: {version: v2}}]') +
      rule('c', 'other', 'subsets: [{name: v1, labels: {version: v1}}]') +
      rule('e', 'default', 'exportTo: [team-a], subsets: [{name: v1, labels: {version: v1}}]') +
      rule(
        'd',
        'default',
        'workloadSelector: {matchLabels: {app: gw}}, subsets: [{name: v1, labels: {version: v1}}]',
      );
    expect(findings(manifests, 'dr.host.conflict')).toEqual([]);
  });
});
