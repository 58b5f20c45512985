import { describe, expect, it } from 'vitest';
import type { IstioKind, IstioObject, PodInfo, ServiceInfo } from '../types/mesh-config';
import { boundGateways, configApplyingTo, configMatcher, routeDestinationHosts } from './applies';

const service = (
  namespace: string,
  name: string,
  selector: Record<string, string> = { app: name },
): ServiceInfo => ({
  namespace,
  name,
  fqdn: `${name}.${namespace}.svc.cluster.local`,
  selector,
  ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'TCP' }],
  labels: {},
});

const istio = (
  kind: IstioKind,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): IstioObject => ({
  kind,
  namespace,
  name,
  apiVersion: 'networking.istio.io/v1',
  resourceVersion: '1',
  labels: {},
  annotations: {},
  spec,
});

const pod = (namespace: string, name: string, labels: Record<string, string>): PodInfo => ({
  namespace,
  name,
  labels,
  annotations: {},
  serviceAccount: 'default',
  phase: 'Running',
  podIP: '10.0.0.1',
  containers: ['app', 'istio-proxy'],
  sidecar: true,
  workload: name,
});

const names = (list: { kind: string; namespace: string; name: string }[]) =>
  list.map((item) => `${item.kind}/${item.namespace}/${item.name}`);

describe('configApplyingTo', () => {
  const reviews = service('default', 'reviews');

  it('matches VirtualService and DestinationRule hosts written short, qualified or wildcard', () => {
    const objects = [
      istio('VirtualService', 'default', 'short', { hosts: ['reviews'] }),
      istio('VirtualService', 'other', 'fqdn', { hosts: ['reviews.default.svc.cluster.local'] }),
      istio('VirtualService', 'other', 'short-elsewhere', { hosts: ['reviews'] }),
      istio('DestinationRule', 'default', 'wild', { host: '*.default.svc.cluster.local' }),
      istio('DestinationRule', 'default', 'ratings', { host: 'ratings' }),
    ];
    const applied = configApplyingTo(reviews, objects, []);
    expect(names(applied)).toEqual([
      'VirtualService/default/short',
      'VirtualService/other/fqdn',
      'DestinationRule/default/wild',
    ]);
    expect(applied[0]?.reason).toBe('hosts include reviews');
  });

  it('takes a gateway-only VirtualService through its routes, and the gateway it is bound to', () => {
    const productpage = service('default', 'productpage');
    const objects = [
      istio('VirtualService', 'default', 'bookinfo', {
        hosts: ['*'],
        gateways: ['bookinfo-gateway'],
        http: [{ route: [{ destination: { host: 'productpage' } }] }],
      }),
      istio('VirtualService', 'default', 'catch-all', { hosts: ['*'], gateways: ['bookinfo-gateway'] }),
      istio('Gateway', 'default', 'bookinfo-gateway', { selector: { istio: 'ingressgateway' } }),
      istio('Gateway', 'default', 'unrelated', { selector: { istio: 'egressgateway' } }),
    ];
    const applied = configApplyingTo(productpage, objects, []);
    expect(names(applied)).toEqual(['VirtualService/default/bookinfo', 'Gateway/default/bookinfo-gateway']);
    expect(applied[0]?.reason).toBe('routes send to productpage');
    expect(applied[1]?.reason).toBe('VirtualService default/bookinfo is bound to it');
  });

  it('finds a Gateway on the service’s own pods and ServiceEntries by host or selector', () => {
    const ingress = service('istio-system', 'istio-ingressgateway', { istio: 'ingressgateway' });
    const pods = [pod('istio-system', 'ingress-1', { istio: 'ingressgateway' })];
    const objects = [
      istio('Gateway', 'default', 'bookinfo-gateway', { selector: { istio: 'ingressgateway' } }),
      istio('Gateway', 'default', 'no-selector', {}),
      istio('ServiceEntry', 'istio-system', 'vm', {
        hosts: ['vm.example'],
        workloadSelector: { labels: { istio: 'ingressgateway' } },
      }),
      istio('ServiceEntry', 'default', 'by-host', {
        hosts: ['istio-ingressgateway.istio-system.svc.cluster.local'],
      }),
    ];
    expect(names(configApplyingTo(ingress, objects, pods))).toEqual([
      'Gateway/default/bookinfo-gateway',
      'ServiceEntry/default/by-host',
      'ServiceEntry/istio-system/vm',
    ]);
  });

  it('ignores a mesh VirtualService of another service and a selector-less service’s pods', () => {
    const headless = service('default', 'reviews', {});
    const objects = [
      istio('VirtualService', 'default', 'ratings', {
        hosts: ['ratings'],
        http: [{ route: [{ destination: { host: 'ratings' } }] }],
      }),
      istio('Gateway', 'default', 'gw', { selector: { app: 'reviews' } }),
    ];
    expect(configApplyingTo(headless, objects, [pod('default', 'reviews-1', { app: 'reviews' })])).toEqual(
      [],
    );
  });
});

describe('route hosts and bound gateways', () => {
  it('reads http, tcp and tls destinations and mirrors once each', () => {
    expect(
      routeDestinationHosts({
        http: [
          { route: [{ destination: { host: 'a' } }, { destination: { host: 'b' } }], mirror: { host: 'c' } },
        ],
        tcp: [{ route: [{ destination: { host: 'a' } }] }],
        tls: [{ route: [{ destination: { host: 'd' } }] }],
      }),
    ).toEqual(['a', 'b', 'c', 'd']);
  });

  it('qualifies short gateway names and reads match-level gateways, without mesh', () => {
    const vs = istio('VirtualService', 'default', 'vs', {
      gateways: ['mesh', 'gw', 'istio-system/ingress'],
      http: [{ match: [{ gateways: ['edge'] }] }],
    });
    expect(boundGateways(vs)).toEqual(['default/gw', 'istio-system/ingress', 'default/edge']);
  });
});

describe('configMatcher', () => {
  it('answers what configApplyingTo answers, from its index', () => {
    const objects = [
      istio('VirtualService', 'default', 'reviews', { hosts: ['reviews'] }),
      istio('VirtualService', 'default', 'bookinfo', {
        hosts: ['*'],
        gateways: ['bookinfo-gateway'],
        http: [{ route: [{ destination: { host: 'productpage' } }] }],
      }),
      istio('Gateway', 'default', 'bookinfo-gateway', {}),
      istio('DestinationRule', 'default', 'all', { host: '*.default.svc.cluster.local' }),
      istio('DestinationRule', 'default', 'ratings', { host: 'ratings' }),
      istio('ServiceEntry', 'default', 'vm', {
        hosts: ['vm.example'],
        workloadSelector: { labels: { app: 'reviews' } },
      }),
    ];
    const pods = [
      pod('default', 'reviews-1', { app: 'reviews' }),
      pod('other', 'reviews-2', { app: 'reviews' }),
    ];
    const match = configMatcher(objects, pods);
    for (const target of [
      service('default', 'reviews'),
      service('default', 'productpage'),
      service('default', 'ratings'),
    ]) {
      expect(match(target)).toEqual(configApplyingTo(target, objects, pods));
    }
    expect(names(match(service('default', 'productpage')))).toEqual([
      'VirtualService/default/bookinfo',
      'DestinationRule/default/all',
      'Gateway/default/bookinfo-gateway',
    ]);
  });
});
