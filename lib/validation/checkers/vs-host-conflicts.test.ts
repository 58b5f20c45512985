import { describe, expect, it } from 'vitest';
import { findings } from '../test-support';

const vs = (name: string, namespace: string, hosts: string, extra = '') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: ${namespace}}
spec: {hosts: ${hosts}${extra}, http: [{route: [{destination: {host: ratings}}]}]}
---`;

describe('vs-host-conflicts', () => {
  it('reports both VirtualServices that claim a host for the mesh', () => {
    const manifests =
      vs('ratings', 'foo', '[ratings]') +
      vs('other', 'bar', '[ratings.foo.svc.cluster.local]', ', gateways: [mesh, gw]');
    expect(findings(manifests, 'vs.host')).toEqual([
      'vs.host.conflict VirtualService bar/other spec.hosts[0] IST0109 KIA1106',
      'vs.host.conflict VirtualService foo/ratings spec.hosts[0] IST0109 KIA1106',
    ]);
  });

  it('matches a wildcard exported everywhere against a namespace-scoped host', () => {
    const manifests = vs('wide', 'bar', '["*.d"]') + vs('narrow', 'foo', '["*.p.d"]', ', exportTo: ["."]');
    expect(findings(manifests, 'vs.host')).toHaveLength(2);
  });

  it('ignores gateway-only VirtualServices and disjoint exportTo', () => {
    const manifests =
      vs('a', 'foo', '[ratings]', ', exportTo: ["."]') +
      vs('b', 'bar', '[ratings.foo.svc.cluster.local]', ', exportTo: ["."]') +
      vs('c', 'foo', '[ratings]', ', gateways: [ingress]');
    expect(findings(manifests, 'vs.host')).toEqual([]);
  });
});
