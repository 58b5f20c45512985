import { describe, expect, it } from 'vitest';
import { canonicalApp, canonicalVersion, hostMatches, indexConfig, resolveHost } from './config-index';
import { bookinfoConfig, istio, serviceInfo, workload } from './fixtures/builders';
import { loadFixture } from './fixtures/load';

describe('hosts', () => {
  it('resolves short hosts in the namespace of the object that names them', () => {
    expect(resolveHost('reviews', 'default')).toBe('reviews.default.svc.cluster.local');
    expect(resolveHost('reviews.prod', 'default')).toBe('reviews.prod.svc.cluster.local');
    expect(resolveHost('reviews.prod.svc.cluster.local', 'default')).toBe('reviews.prod.svc.cluster.local');
    expect(resolveHost('*.example.com', 'default')).toBe('*.example.com');
  });

  it('matches exact hosts and wildcards', () => {
    expect(hostMatches('*', 'anything.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'api.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostMatches('reviews.default.svc.cluster.local', 'ratings.default.svc.cluster.local')).toBe(false);
  });
});

describe('indexConfig', () => {
  it('finds workloads behind services and services in front of workloads', () => {
    const index = indexConfig(loadFixture('bookinfo').config);
    const reviews = index.service('reviews.default.svc.cluster.local');
    expect(reviews && index.workloadsOfService(reviews).map((entry) => entry.name)).toEqual([
      'reviews-v1',
      'reviews-v2',
      'reviews-v3',
    ]);
    const v2 = index.workload('default', 'reviews-v2');
    expect(v2 && index.servicesOfWorkload(v2).map((entry) => entry.name)).toEqual(['reviews']);
    expect(index.workloadsOfApp('default', 'reviews', 'v3').map((entry) => entry.name)).toEqual([
      'reviews-v3',
    ]);
  });

  it('indexes mesh VirtualServices and DestinationRules by resolved host', () => {
    const index = indexConfig(loadFixture('bookinfo').config);
    expect(
      index.virtualServicesFor('reviews.default.svc.cluster.local').map((object) => object.name),
    ).toEqual(['reviews']);
    // The gateway-bound `bookinfo` VirtualService (hosts `*`) does not route mesh traffic.
    expect(
      index.virtualServicesFor('productpage.default.svc.cluster.local').map((object) => object.name),
    ).toEqual(['productpage']);
    expect(
      index.destinationRulesFor('ratings.default.svc.cluster.local').map((object) => object.name),
    ).toEqual(['ratings']);
  });

  it('matches wildcard hosts and ServiceEntries', () => {
    const index = indexConfig(
      bookinfoConfig({
        istio: [
          istio('VirtualService', 'default/everything', { hosts: ['*.default.svc.cluster.local'], http: [] }),
          istio('ServiceEntry', 'default/google', { hosts: ['*.googleapis.com'], location: 'MESH_EXTERNAL' }),
        ],
      }),
    );
    expect(
      index.virtualServicesFor('reviews.default.svc.cluster.local').map((object) => object.name),
    ).toEqual(['everything']);
    expect(index.serviceEntryFor('storage.googleapis.com')?.name).toBe('google');
    expect(index.serviceEntryFor('example.com')).toBeUndefined();
  });

  it('recognises gateways by label, name or a Gateway selector', () => {
    const custom = workload('edge/my-gateway', { labels: { app: 'my-gateway', role: 'edge' } });
    const index = indexConfig(
      bookinfoConfig({
        workloads: [custom],
        services: [serviceInfo('edge/my-gateway')],
        istio: [istio('Gateway', 'edge/public', { selector: { role: 'edge' }, servers: [] })],
      }),
    );
    const ingress = index.workload('istio-system', 'istio-ingressgateway');
    expect(ingress && index.isGateway(ingress)).toBe(true);
    expect(index.isGateway(custom)).toBe(true);
    const reviews = index.workload('default', 'reviews-v1');
    expect(reviews && index.isGateway(reviews)).toBe(false);
  });

  it('names workloads as their telemetry does', () => {
    expect(canonicalApp(workload('default/reviews-v1'))).toBe('reviews');
    expect(canonicalVersion(workload('default/reviews-v1'))).toBe('v1');
    expect(canonicalVersion(workload('default/cron'))).toBe('latest');
    const labelled = workload('default/x', {
      labels: { 'service.istio.io/canonical-name': 'shop', 'service.istio.io/canonical-revision': 'r7' },
    });
    expect([canonicalApp(labelled), canonicalVersion(labelled)]).toEqual(['shop', 'r7']);
  });
});
