import { describe, expect, it } from 'vitest';
import { findings, pod, service } from '../test-support';

const workloads = `${service('reviews', 'default', { app: 'reviews' })}${pod('reviews-v1', 'default', { app: 'reviews', version: 'v1' })}${pod('ratings-v2', 'default', { app: 'ratings', version: 'v2' })}`;

const rule = (name: string, host: string, subsets = '[]', extra = '') => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: default}
spec: {host: "${host}", subsets: ${subsets}${extra}}
---`;

describe('dr-host', () => {
  it('accepts known hosts, namespace and mesh wildcards, and subsets with pods', () => {
    const manifests =
      workloads +
      rule('reviews', 'reviews', '[{name: v1, labels: {version: v1}}, {name: all}]') +
      rule('namespace', '*.default.svc.cluster.local') +
      rule('mesh', '*.local');
    expect(findings(manifests, 'dr.')).toEqual([]);
  });

  it('reports unknown hosts, including wildcards covering no service', () => {
    const manifests =
      workloads +
      rule('fake', 'fake-svc.default.svc.cluster.local') +
      rule('nothing', '*.nowhere.example.com');
    expect(findings(manifests, 'dr.')).toEqual([
      'dr.host.not-found DestinationRule default/fake spec.host IST0174 KIA0202',
      'dr.host.not-found DestinationRule default/nothing spec.host IST0174 KIA0202',
    ]);
  });

  it("reports subsets without pods of the host's Service (stricter than istioctl: pods of other apps do not count)", () => {
    const manifests = workloads + rule('reviews', 'reviews', '[{name: v2, labels: {version: v2}}]');
    expect(findings(manifests, 'dr.')).toEqual([
      'dr.subset.no-pods DestinationRule default/reviews spec.subsets[0].labels IST0173 KIA0203',
    ]);
  });

  it("matches topology labels against the pods' nodes, and skips them when nodes are unknown", () => {
    const withNode = `${workloads.replace('version: v1}', 'version: v1}')}
apiVersion: v1
kind: Node
metadata: {name: node-a, labels: {topology.kubernetes.io/region: us-west-1, topology.kubernetes.io/zone: ""}}
---
${pod('reviews-v3', 'default', { app: 'reviews', version: 'v3' }, { extra: 'nodeName: node-a' })}`;
    const subsets =
      '[{name: west, labels: {topology.kubernetes.io/region: us-west-1}}, {name: no-zone, labels: {topology.kubernetes.io/zone: ""}}]';
    expect(findings(withNode + rule('reviews', 'reviews', subsets), 'dr.')).toEqual([
      'dr.subset.no-pods DestinationRule default/reviews spec.subsets[1].labels IST0173 KIA0203',
    ]);
    expect(findings(workloads + rule('reviews', 'reviews', subsets), 'dr.')).toEqual([]);
  });

  it('uses the workloadSelector of a ServiceEntry host, and WorkloadEntries', () => {
    const manifests = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: vm, namespace: default}
spec: {hosts: [vm.example.com], ports: [{number: 80, name: http, protocol: HTTP}], workloadSelector: {labels: {app: vm}}}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-1, namespace: default}
spec: {address: 10.0.0.1, labels: {app: vm, version: v1}}
---
${rule('vm', 'vm.example.com', '[{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]')}`;
    expect(findings(manifests, 'dr.')).toEqual([
      'dr.subset.no-pods DestinationRule default/vm spec.subsets[1].labels IST0173 KIA0203',
    ]);
  });
});
