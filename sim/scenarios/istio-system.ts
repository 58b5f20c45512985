/** What an Istio install leaves in `istio-system`: istiod, the ingress gateway, mesh config. */
import type { KubeObject } from '../cluster/types';
import { proxyImage } from '../controllers/sidecar-injection';
import { deployment, namespace, service, serviceAccount } from './builders';

const ns = 'istio-system';

export function istioSystem(): KubeObject[] {
  const ingress = deployment({
    namespace: ns,
    app: 'istio-ingressgateway',
    serviceAccount: 'istio-ingressgateway-service-account',
    image: proxyImage,
    ports: [8080, 8443, 15090, 15021],
    labels: {
      istio: 'ingressgateway',
      'sidecar.istio.io/inject': 'false',
      'service.istio.io/canonical-name': 'istio-ingressgateway',
      'service.istio.io/canonical-revision': 'latest',
    },
  });
  // A gateway is an Envoy of its own: its only container is named istio-proxy.
  const template = (ingress.spec as { template: { spec: { containers: { name: string }[] } } }).template;
  for (const container of template.spec.containers) container.name = 'istio-proxy';
  return [
    namespace('kube-system'),
    namespace(ns),
    serviceAccount(ns, 'istiod', { app: 'istiod' }),
    serviceAccount(ns, 'istio-ingressgateway-service-account', { app: 'istio-ingressgateway' }),
    service(
      ns,
      'istiod',
      [
        { name: 'grpc-xds', port: 15010 },
        { name: 'https-dns', port: 15012 },
        { name: 'https-webhook', port: 443, targetPort: 15017 },
        { name: 'http-monitoring', port: 15014 },
      ],
      { selector: { app: 'istiod', istio: 'pilot' }, labels: { app: 'istiod', istio: 'pilot' } },
    ),
    deployment({
      namespace: ns,
      app: 'istiod',
      serviceAccount: 'istiod',
      image: 'docker.io/istio/pilot:1.24.2',
      ports: [8080, 15010, 15017],
      labels: { istio: 'pilot' },
    }),
    service(
      ns,
      'istio-ingressgateway',
      [
        { name: 'status-port', port: 15021 },
        { name: 'http2', port: 80, targetPort: 8080 },
        { name: 'https', port: 443, targetPort: 8443 },
      ],
      {
        selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
        labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
        type: 'LoadBalancer',
      },
    ),
    ingress,
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio', namespace: ns, labels: { 'istio.io/rev': 'default' } },
      data: {
        mesh: 'defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\ndefaultProviders:\n  metrics:\n  - prometheus\nenablePrometheusMerge: true\nrootNamespace: istio-system\ntrustDomain: cluster.local\n',
        meshNetworks: 'networks: {}',
      },
    },
  ];
}
