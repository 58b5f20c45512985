import { describe, expect, it } from 'vitest';
import { findings, namespace, pod } from '../test-support';

const world = `${namespace('httpbin')}${namespace('plain', {})}${pod('httpbin-1', 'httpbin', { app: 'httpbin', version: 'v1' }, { sidecar: false })}${pod('sleep-1', 'ambient', { app: 'sleep' }, { sidecar: false, annotations: { 'ambient.istio.io/redirection': 'enabled' } })}${pod('web-1', 'plain', { app: 'web' }, { sidecar: false })}`;

const policy = (name: string, ns: string, spec: string) => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ${name}, namespace: ${ns}}
spec: ${spec}
---`;

describe('authz-workloads', () => {
  it('accepts policies selecting meshed pods (by injection label or ambient), mesh-wide ones and targetRefs', () => {
    const manifests =
      world +
      policy('httpbin', 'httpbin', '{selector: {matchLabels: {app: httpbin}}}') +
      policy('ns-wide', 'httpbin', '{}') +
      policy('sleep', 'ambient', '{selector: {matchLabels: {app: sleep}}}') +
      policy('mesh', 'istio-system', '{selector: {matchLabels: {version: v1}}}') +
      policy('mesh-wide', 'istio-system', '{}') +
      policy(
        'gateway',
        'plain',
        '{targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}]}',
      );
    expect(findings(manifests, 'authz.')).toEqual([]);
  });

  it('reports selectors matching no meshed pod and namespace-wide policies without any', () => {
    const manifests =
      world +
      policy('bogus', 'httpbin', '{selector: {matchLabels: {app: bogus}}}') +
      policy('unmeshed', 'plain', '{selector: {matchLabels: {app: web}}}') +
      policy('empty', 'nothing-here', '{}') +
      policy('mesh', 'istio-system', '{selector: {matchLabels: {version: bogus}}}');
    expect(findings(manifests, 'authz.')).toEqual([
      'authz.namespace.no-workload AuthorizationPolicy nothing-here/empty metadata.namespace IST0127',
      'authz.selector.no-workload AuthorizationPolicy httpbin/bogus spec.selector.matchLabels IST0127 KIA0004',
      'authz.selector.no-workload AuthorizationPolicy istio-system/mesh spec.selector.matchLabels IST0127 KIA0004',
      'authz.selector.no-workload AuthorizationPolicy plain/unmeshed spec.selector.matchLabels IST0127 KIA0004',
    ]);
  });
});
