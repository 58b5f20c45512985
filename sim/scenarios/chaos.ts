/**
 * Bookinfo with trouble to find: a flaky reviews-v3 pod that outlier detection ejects, a MongoDB
 * without a sidecar behind ratings, a legacy plaintext caller outside the mesh, an
 * AuthorizationPolicy that denies that caller's requests to ratings, and a catalog-sync job that
 * calls an external API a ServiceEntry declares and another host no ServiceEntry declares (which
 * leaves through PassthroughCluster under the mesh's default ALLOW_ANY).
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
