import { describe, expect, it } from 'vitest';
import { findings, pod, service } from './test-support';

const world = `${service('reviews', 'shop', { app: 'reviews' })}${pod('reviews-1', 'shop', { app: 'reviews' })}${service('db', 'shop', { app: 'db' })}${pod('db-1', 'shop', { app: 'db' })}${service('legacy', 'shop', { app: 'legacy' })}${pod('legacy-1', 'shop', { app: 'legacy' }, { sidecar: false })}`;

const peer = (name: string, namespace: string, mode: string, selector?: string) => `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ${name}, namespace: ${namespace}}
spec: {${selector ? `selector: {matchLabels: ${selector}}, ` : ''}mtls: {mode: ${mode}}}
---`;

const rule = (name: string, namespace: string, host: string, mode: string) => `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ${name}, namespace: ${namespace}}
spec: {host: "${host}", trafficPolicy: {tls: {mode: ${mode}}}}
---`;

const mtls = (manifests: string, meshConfig?: unknown) => [
  ...findings(manifests, 'dr.mtls', { meshConfig }),
  ...findings(manifests, 'peerauthentication.mtls', { meshConfig }),
];

describe('mtls-destination-rules and mtls-peer-authentications', () => {
  it('accepts matching settings, PERMISSIVE servers and pods without sidecar', () => {
    const manifests =
      world +
      peer('mesh', 'istio-system', 'STRICT') +
      rule('all', 'istio-system', '*.local', 'ISTIO_MUTUAL') +
      peer('db', 'shop', 'PERMISSIVE', '{app: db}') +
      rule('db', 'shop', 'db', 'DISABLE') +
      rule('legacy', 'shop', 'legacy', 'DISABLE');
    expect(mtls(manifests)).toEqual([]);
  });

  it('reports DISABLE towards STRICT pods at mesh level (KIA0208) on both objects', () => {
    const manifests =
      world + peer('mesh', 'istio-system', 'STRICT') + rule('reviews', 'shop', 'reviews', 'DISABLE');
    expect(mtls(manifests)).toEqual([
      'dr.mtls.conflicts-with-peer-authentication DestinationRule shop/reviews spec.trafficPolicy.tls.mode KIA0208',
      'peerauthentication.mtls.conflicts-with-destination-rule PeerAuthentication istio-system/mesh spec.mtls.mode',
    ]);
  });

  it('reports ISTIO_MUTUAL from a mesh-wide rule towards pods a namespace policy sets to DISABLE (KIA0205, KIA0505)', () => {
    const manifests =
      world + peer('shop', 'shop', 'DISABLE') + rule('all', 'istio-system', '*.local', 'ISTIO_MUTUAL');
    expect(mtls(manifests)).toEqual([
      'dr.mtls.conflicts-with-peer-authentication DestinationRule istio-system/all spec.trafficPolicy.tls.mode KIA0205',
      'peerauthentication.mtls.conflicts-with-destination-rule PeerAuthentication shop/shop spec.mtls.mode KIA0505',
    ]);
  });

  it('reports workload-level contradictions, where the most specific rule and policy decide', () => {
    const manifests =
      world +
      peer('shop', 'shop', 'PERMISSIVE') +
      peer('db', 'shop', 'STRICT', '{app: db}') +
      rule('namespace', 'shop', '*.shop.svc.cluster.local', 'DISABLE');
    expect(mtls(manifests)).toEqual([
      'dr.mtls.conflicts-with-peer-authentication DestinationRule shop/namespace spec.trafficPolicy.tls.mode',
      'peerauthentication.mtls.conflicts-with-destination-rule PeerAuthentication shop/db spec.mtls.mode',
    ]);
    expect(mtls(`${manifests}${rule('db', 'shop', 'db', 'ISTIO_MUTUAL')}`)).toEqual([]);
  });

  it('reports STRICT without any TLS from clients when auto mTLS is off (KIA0501)', () => {
    const manifests = world + peer('shop', 'shop', 'STRICT');
    expect(mtls(manifests)).toEqual([]);
    expect(mtls(manifests, { enableAutoMtls: false })).toEqual([
      'peerauthentication.mtls.conflicts-with-destination-rule PeerAuthentication shop/shop spec.mtls.mode KIA0501',
    ]);
  });
});
