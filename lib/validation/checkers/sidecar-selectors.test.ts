import { describe, expect, it } from 'vitest';
import { findings, namespace, pod } from '../test-support';

const sidecar = (name: string, ns: string, selector?: string) => `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: ${name}, namespace: ${ns}}
spec: {${selector ? `workloadSelector: {labels: ${selector}}, ` : ''}egress: [{hosts: ["./*"]}]}
---`;

const pods = `${pod('productpage', 'default', { app: 'productpage' })}${pod('reviews', 'default', { app: 'reviews' })}${pod('ratings', 'default', { app: 'ratings', tier: 'data' })}${pod('reviews', 'other', { app: 'reviews' })}`;

describe('sidecar-selectors', () => {
  it('accepts one namespace-wide Sidecar and selectors matching distinct pods', () => {
    const manifests =
      pods +
      sidecar('default', 'default') +
      sidecar('pp', 'default', '{app: productpage}') +
      sidecar('rv', 'default', '{app: reviews}');
    expect(findings(manifests, 'sidecar.')).toEqual([]);
  });

  it('reports selectors matching no pod of the namespace', () => {
    const manifests =
      pods + sidecar('bogus', 'default', '{app: bogus}') + sidecar('elsewhere', 'other', '{app: ratings}');
    expect(findings(manifests, 'sidecar.')).toEqual([
      'sidecar.selector.no-workload Sidecar default/bogus spec.workloadSelector.labels IST0101 KIA0004',
      'sidecar.selector.no-workload Sidecar other/elsewhere spec.workloadSelector.labels IST0101 KIA0004',
    ]);
  });

  it('reports pods selected twice and namespaces with two default Sidecars', () => {
    const manifests =
      pods +
      sidecar('by-app', 'default', '{app: ratings}') +
      sidecar('by-tier', 'default', '{tier: data}') +
      sidecar('first', 'default') +
      sidecar('second', 'default');
    expect(findings(manifests, 'sidecar.')).toEqual([
      'sidecar.namespace-default.conflict Sidecar default/first metadata.name IST0111 KIA0002',
      'sidecar.namespace-default.conflict Sidecar default/second metadata.name IST0111 KIA0002',
      'sidecar.selector.conflict Sidecar default/by-app spec.workloadSelector.labels IST0110 KIA0003',
      'sidecar.selector.conflict Sidecar default/by-tier spec.workloadSelector.labels IST0110 KIA0003',
    ]);
  });

  it('reports Sidecars for ambient namespaces and ambient pods', () => {
    const manifests =
      namespace('mesh-ambient', { 'istio.io/dataplane-mode': 'ambient' }) +
      pod(
        'app',
        'mesh-ambient',
        { app: 'app' },
        { sidecar: false, annotations: { 'ambient.istio.io/redirection': 'enabled' } },
      ) +
      sidecar('wide', 'mesh-ambient') +
      sidecar('scoped', 'mesh-ambient', '{app: app}');
    expect(findings(manifests, 'sidecar.')).toEqual([
      'sidecar.ambient.ineffective Sidecar mesh-ambient/scoped spec.workloadSelector.labels IST0167',
      'sidecar.ambient.ineffective Sidecar mesh-ambient/wide metadata.name IST0167',
    ]);
  });
});
