/**
 * Istio's Bookinfo sample, canary-ready: productpage -> details and reviews (v1, v2, v3) ->
 * ratings, in `default`, with the ingress gateway and istiod in `istio-system`; DestinationRules
 * with version subsets for every service, a VirtualService per service, and reviews split 50/50
 * between v1 and v3. Modelled on istio/istio samples/bookinfo; no file outside the project needed.
 */
import type { KubeObject } from '../cluster/types';
import { withBookinfoTraffic } from './bookinfo-traffic';
import { deployment, istioObject, namespace, service, serviceAccount } from './builders';
import { istioSystem } from './istio-system';

export const bookinfoNamespace = 'default';
const image = (name: string, version: string) =>
  `docker.io/istio/examples-bookinfo-${name}-${version}:1.20.2`;

/** Asks Envoy for the outlier-detection and overflow cluster stats the resilience views read. */
export const proxyStatsAnnotation = {
  'proxy.istio.io/config': JSON.stringify({
    proxyStatsMatcher: {
      inclusionRegexps: [
        '.*outlier_detection.*',
        '.*upstream_rq_pending_overflow.*',
        '.*upstream_cx_overflow.*',
      ],
    },
  }),
};

function bookinfoWorkloads(ns: string): KubeObject[] {
  const workload = (app: string, version: string) =>
    deployment({
      namespace: ns,
      app,
      version,
      serviceAccount: `bookinfo-${app}`,
      image: image(app, version),
      ports: [9080],
      annotations: proxyStatsAnnotation,
    });
  return [
    ...['details', 'ratings', 'reviews', 'productpage'].flatMap((app) => [
      service(ns, app, [{ name: 'http', port: 9080 }]),
      serviceAccount(ns, `bookinfo-${app}`, { account: app }),
    ]),
    workload('details', 'v1'),
    workload('ratings', 'v1'),
    workload('reviews', 'v1'),
    workload('reviews', 'v2'),
    workload('reviews', 'v3'),
    workload('productpage', 'v1'),
  ];
}

const networking = 'networking.istio.io/v1';

function subsets(versions: string[]) {
  return versions.map((version) => ({ name: version, labels: { version } }));
}

export function bookinfoRouting(ns: string): KubeObject[] {
  const host = (name: string) => name;
  const route = (name: string, subset: string) => ({
    route: [{ destination: { host: host(name), subset } }],
  });
  return [
    istioObject(networking, 'Gateway', ns, 'bookinfo-gateway', {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
    }),
    istioObject(networking, 'VirtualService', ns, 'bookinfo', {
      hosts: ['*'],
      gateways: ['bookinfo-gateway'],
      http: [
        {
          match: [
            { uri: { exact: '/productpage' } },
            { uri: { prefix: '/static' } },
            { uri: { exact: '/login' } },
            { uri: { exact: '/logout' } },
            { uri: { prefix: '/api/v1/products' } },
          ],
          route: [{ destination: { host: 'productpage', port: { number: 9080 } } }],
        },
      ],
    }),
    istioObject(networking, 'DestinationRule', ns, 'productpage', {
      host: 'productpage',
      subsets: subsets(['v1']),
    }),
    istioObject(networking, 'DestinationRule', ns, 'reviews', {
      host: 'reviews',
      subsets: subsets(['v1', 'v2', 'v3']),
    }),
    istioObject(networking, 'DestinationRule', ns, 'ratings', {
      host: 'ratings',
      subsets: subsets(['v1', 'v2', 'v2-mysql', 'v2-mysql-vm']),
    }),
    istioObject(networking, 'DestinationRule', ns, 'details', {
      host: 'details',
      subsets: subsets(['v1', 'v2']),
    }),
    istioObject(networking, 'VirtualService', ns, 'productpage', {
      hosts: ['productpage'],
      http: [route('productpage', 'v1')],
    }),
    istioObject(networking, 'VirtualService', ns, 'reviews', {
      hosts: ['reviews'],
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
            { destination: { host: 'reviews', subset: 'v3' }, weight: 50 },
          ],
        },
      ],
    }),
    istioObject(networking, 'VirtualService', ns, 'ratings', {
      hosts: ['ratings'],
      http: [route('ratings', 'v1')],
    }),
    istioObject(networking, 'VirtualService', ns, 'details', {
      hosts: ['details'],
      http: [route('details', 'v1')],
    }),
  ];
}

export function bookinfoObjects(): KubeObject[] {
  return withBookinfoTraffic([
    namespace(bookinfoNamespace, { 'istio-injection': 'enabled' }),
    ...istioSystem(),
    ...bookinfoWorkloads(bookinfoNamespace),
    ...bookinfoRouting(bookinfoNamespace),
  ]);
}
