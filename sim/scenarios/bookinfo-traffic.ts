/** The traffic Bookinfo's workloads make, as simulator annotations on their pod templates. */
import type { KubeObject } from '../cluster/types';
import { annotationPrefix, callsAnnotation, generateAnnotation } from '../mesh/behaviour';

/** Requests per second entering through the ingress gateway to /productpage. */
export const bookinfoIngressRps = 10;

const behaviours: Record<string, Record<string, string>> = {
  'productpage-v1': {
    ...callsAnnotation([
      { host: 'details', port: 9080, path: '/details/0' },
      { host: 'reviews', port: 9080, path: '/reviews/0' },
    ]),
    [`${annotationPrefix}latency-ms`]: '15',
    [`${annotationPrefix}response-bytes`]: '5200',
  },
  'details-v1': { [`${annotationPrefix}latency-ms`]: '4', [`${annotationPrefix}response-bytes`]: '180' },
  'reviews-v1': { [`${annotationPrefix}latency-ms`]: '12', [`${annotationPrefix}response-bytes`]: '350' },
  'reviews-v2': {
    ...callsAnnotation([{ host: 'ratings', port: 9080, path: '/ratings/0' }]),
    [`${annotationPrefix}latency-ms`]: '18',
    [`${annotationPrefix}response-bytes`]: '440',
  },
  'reviews-v3': {
    ...callsAnnotation([{ host: 'ratings', port: 9080, path: '/ratings/0' }]),
    [`${annotationPrefix}latency-ms`]: '20',
    [`${annotationPrefix}response-bytes`]: '440',
  },
  'ratings-v1': { [`${annotationPrefix}latency-ms`]: '3', [`${annotationPrefix}response-bytes`]: '48' },
  'istio-ingressgateway': generateAnnotation([
    {
      host: 'bookinfo.example.com',
      port: 9080,
      path: '/productpage',
      rps: bookinfoIngressRps,
      gateway: 'default/bookinfo-gateway',
    },
  ]),
};

/** Add the simulator's behaviour annotations to the Deployments' pod templates. */
export function withBookinfoTraffic(objects: KubeObject[]): KubeObject[] {
  return objects.map((object) => {
    const behaviour = object.kind === 'Deployment' ? behaviours[object.metadata.name ?? ''] : undefined;
    return behaviour ? withTemplateAnnotations(object, behaviour) : object;
  });
}

export function withTemplateAnnotations(
  deployment: KubeObject,
  annotations: Record<string, string>,
): KubeObject {
  const spec = deployment.spec as { template: { metadata?: { annotations?: Record<string, string> } } };
  const metadata = spec.template.metadata ?? {};
  return {
    ...deployment,
    spec: {
      ...spec,
      template: {
        ...spec.template,
        metadata: { ...metadata, annotations: { ...metadata.annotations, ...annotations } },
      },
    },
  };
}
