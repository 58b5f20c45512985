/**
 * Bookinfo with trouble to find: a flaky reviews-v3 pod that outlier detection ejects, a MongoDB
 * without a sidecar behind ratings, a legacy plaintext caller outside the mesh, an
 * AuthorizationPolicy that denies that caller's requests to ratings, and a catalog-sync job that
 * calls an external API a ServiceEntry declares and another host no ServiceEntry declares (which
 * leaves through PassthroughCluster under the mesh's default ALLOW_ANY), and an inventory-poller
 * that polls inventory past the local rate limit an EnvoyFilter puts on inventory's sidecar.
 */
import type { SimulatedCluster } from '../cluster/cluster';
import type { KubeObject } from '../cluster/types';
import { annotationPrefix, callsAnnotation, generateAnnotation } from '../mesh/behaviour';
import { bookinfoNamespace, bookinfoObjects, proxyStatsAnnotation } from './bookinfo';
import { withTemplateAnnotations } from './bookinfo-traffic';
import { deployment, istioObject, namespace, service, serviceAccount } from './builders';

export const legacyNamespace = 'legacy';
/** The external host the `googleapis` ServiceEntry declares, called by catalog-sync-v1. */
export const registeredExternalHost = 'www.googleapis.com';
/** An external host no ServiceEntry declares, also called by catalog-sync-v1. */
export const unregisteredExternalHost = 'httpbin.org';
/** Share of requests the flaky reviews-v3 pod answers with 500. */
export const flakyErrorRate = 0.9;
/** Requests per second inventory-poller-v1 sends to the inventory service. */
export const inventoryPollRps = 6;
/** The local rate limit (EnvoyFilter `inventory-local-ratelimit`) on inventory-v1's inbound: requests per second. */
export const inventoryRateLimit = 4;

/**
 * A small pair of its own for Envoy's local rate limit (Istio's "Enabling Rate Limits using
 * Envoy" task): inventory-poller-v1 polls inventory-v1 faster than the EnvoyFilter's token bucket
 * lets in, so inventory's sidecar answers about a third of the polls 429 with flag RL.
 */
function rateLimitedInventory(): KubeObject[] {
  return [
    service(bookinfoNamespace, 'inventory', [{ name: 'http', port: 9080 }]),
    serviceAccount(bookinfoNamespace, 'inventory'),
    deployment({
      namespace: bookinfoNamespace,
      app: 'inventory',
      version: 'v1',
      serviceAccount: 'inventory',
      image: 'docker.io/kennethreitz/httpbin:latest',
      ports: [9080],
      annotations: {
        [`${annotationPrefix}latency-ms`]: '6',
        [`${annotationPrefix}response-bytes`]: '300',
      },
    }),
    serviceAccount(bookinfoNamespace, 'inventory-poller'),
    deployment({
      namespace: bookinfoNamespace,
      app: 'inventory-poller',
      version: 'v1',
      serviceAccount: 'inventory-poller',
      image: 'docker.io/curlimages/curl:8.11.0',
      ports: [8080],
      annotations: generateAnnotation([
        { host: 'inventory', port: 9080, path: '/stock/42', rps: inventoryPollRps },
      ]),
    }),
    istioObject(
      'networking.istio.io/v1alpha3',
      'EnvoyFilter',
      bookinfoNamespace,
      'inventory-local-ratelimit',
      {
        workloadSelector: { labels: { app: 'inventory' } },
        configPatches: [
          {
            applyTo: 'HTTP_FILTER',
            match: {
              context: 'SIDECAR_INBOUND',
              listener: {
                filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } },
              },
            },
            patch: {
              operation: 'INSERT_BEFORE',
              value: {
                name: 'envoy.filters.http.local_ratelimit',
                typed_config: {
                  '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
                  type_url:
                    'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
                  value: {
                    stat_prefix: 'http_local_rate_limiter',
                    token_bucket: {
                      max_tokens: inventoryRateLimit,
                      tokens_per_fill: inventoryRateLimit,
                      fill_interval: '1s',
                    },
                    filter_enabled: {
                      runtime_key: 'local_rate_limit_enabled',
                      default_value: { numerator: 100, denominator: 'HUNDRED' },
                    },
                    filter_enforced: {
                      runtime_key: 'local_rate_limit_enforced',
                      default_value: { numerator: 100, denominator: 'HUNDRED' },
                    },
                    response_headers_to_add: [
                      {
                        append_action: 'OVERWRITE_IF_EXISTS_OR_ADD',
                        header: { key: 'x-local-rate-limit', value: 'true' },
                      },
                    ],
                  },
                },
              },
            },
          },
        ],
      },
    ),
  ];
}

function adjust(object: KubeObject): KubeObject {
  if (object.kind === 'Deployment' && object.metadata.name === 'reviews-v3') {
    return { ...object, spec: { ...(object.spec as Record<string, unknown>), replicas: 2 } };
  }
  if (object.kind === 'Deployment' && object.metadata.name === 'ratings-v1') {
    return withTemplateAnnotations(
      object,
      callsAnnotation([{ host: 'mongodb', port: 27017, path: '/', protocol: 'tcp' }]),
    );
  }
  if (object.kind === 'DestinationRule' && object.metadata.name === 'reviews') {
    const spec = object.spec as Record<string, unknown>;
    return {
      ...object,
      spec: {
        ...spec,
        trafficPolicy: {
          connectionPool: {
            tcp: { maxConnections: 100 },
            http: { http1MaxPendingRequests: 100, maxRequestsPerConnection: 10 },
          },
          outlierDetection: {
            consecutive5xxErrors: 3,
            interval: '5s',
            baseEjectionTime: '15s',
            maxEjectionPercent: 100,
          },
        },
      },
    };
  }
  return object;
}

export function chaosObjects(): KubeObject[] {
  const mongodb = deployment({
    namespace: bookinfoNamespace,
    app: 'mongodb',
    version: 'v1',
    serviceAccount: 'bookinfo-mongodb',
    image: 'docker.io/istio/examples-bookinfo-mongodb:1.20.2',
    ports: [27017],
    labels: { 'sidecar.istio.io/inject': 'false' },
    annotations: { [`${annotationPrefix}latency-ms`]: '2' },
  });
  const legacyClient = deployment({
    namespace: legacyNamespace,
    app: 'legacy-client',
    version: 'v1',
    serviceAccount: 'legacy-client',
    image: 'docker.io/curlimages/curl:8.11.0',
    ports: [8080],
    annotations: {
      ...generateAnnotation([
        { host: `details.${bookinfoNamespace}`, port: 9080, path: '/details/1', rps: 2 },
        { host: `ratings.${bookinfoNamespace}`, port: 9080, path: '/ratings/1', rps: 1 },
      ]),
      ...proxyStatsAnnotation,
    },
  });
  const catalogSync = deployment({
    namespace: bookinfoNamespace,
    app: 'catalog-sync',
    version: 'v1',
    serviceAccount: 'catalog-sync',
    image: 'docker.io/curlimages/curl:8.11.0',
    ports: [8080],
    annotations: generateAnnotation([
      { host: registeredExternalHost, port: 80, path: '/books/v1/volumes?q=isbn:0486424618', rps: 2 },
      { host: unregisteredExternalHost, port: 80, path: '/get', rps: 1 },
    ]),
  });
  return [
    ...bookinfoObjects().map(adjust),
    serviceAccount(bookinfoNamespace, 'catalog-sync'),
    catalogSync,
    // As in Istio's egress task: the Google Books API over plain HTTP on 80 and HTTPS on 443.
    istioObject('networking.istio.io/v1', 'ServiceEntry', bookinfoNamespace, 'googleapis', {
      hosts: [registeredExternalHost],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [
        { number: 80, name: 'http', protocol: 'HTTP' },
        { number: 443, name: 'https', protocol: 'HTTPS' },
      ],
    }),
    service(bookinfoNamespace, 'mongodb', [{ name: 'tcp-mongo', port: 27017 }]),
    serviceAccount(bookinfoNamespace, 'bookinfo-mongodb'),
    mongodb,
    namespace(legacyNamespace),
    serviceAccount(legacyNamespace, 'legacy-client'),
    legacyClient,
    istioObject('security.istio.io/v1', 'AuthorizationPolicy', bookinfoNamespace, 'ratings-deny-plaintext', {
      selector: { matchLabels: { app: 'ratings' } },
      action: 'DENY',
      rules: [{ from: [{ source: { notPrincipals: ['*'] } }] }],
    }),
    ...rateLimitedInventory(),
  ];
}

/** Make one reviews-v3 pod flaky, as a bad node or a bad build would. */
export function makeOneReviewsPodFlaky(cluster: SimulatedCluster): void {
  const pods = cluster.store
    .list('/pods', bookinfoNamespace)
    .filter((pod) => pod.metadata.labels?.app === 'reviews' && pod.metadata.labels?.version === 'v3');
  const flaky = pods[0];
  if (!flaky) return;
  cluster.operations.patch(
    cluster.type('', 'pods'),
    bookinfoNamespace,
    flaky.metadata.name ?? '',
    'merge',
    {
      metadata: { annotations: { [`${annotationPrefix}error-rate`]: String(flakyErrorRate) } },
    },
    { system: true, fieldManager: 'meshscope-sim' },
  );
}
