import { describe, expect, it } from 'vitest';
import { findings, namespace, service } from '../test-support';

const world = `${namespace('default')}${namespace('istio-system', {})}${service('reviews', 'default', { app: 'reviews' })}
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: google, namespace: istio-system}
spec: {hosts: ["*.googleapis.com"], ports: [{number: 443, name: https, protocol: HTTPS}]}
---`;

const sidecar = (hosts: string) => `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: default}
spec: {egress: [{hosts: ${hosts}}]}
---`;

describe('sidecar-egress', () => {
  it('accepts wildcards, services of the namespace and visible ServiceEntry hosts', () => {
    const hosts =
      '["./*", "istio-system/*", "~/*", "./reviews.default.svc.cluster.local", "*/storage.googleapis.com"]';
    expect(findings(world + sidecar(hosts), 'sidecar.egress')).toEqual([]);
  });

  it('reports unknown hosts and namespaces', () => {
    expect(
      findings(
        world +
          sidecar(
            '["./ratings.default.svc.cluster.local", "missing/*", "istio-system/reviews.default.svc.cluster.local"]',
          ),
        'sidecar.egress',
      ),
    ).toEqual([
      'sidecar.egress.host-not-found Sidecar default/default spec.egress[0].hosts[0] KIA1004',
      'sidecar.egress.host-not-found Sidecar default/default spec.egress[0].hosts[1] KIA1004',
      'sidecar.egress.host-not-found Sidecar default/default spec.egress[0].hosts[2] KIA1004',
    ]);
  });
});
