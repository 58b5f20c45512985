/**
 * Istio's sidecar injector, as far as the dashboard can see it: the `istio-proxy` container, the
 * `istio-init` init container, the labels and annotations the webhook adds.
 */
import { isPlainObject, type KubeObject } from '../cluster/types';

export const proxyImage = 'docker.io/istio/proxyv2:1.24.2';
const istioRevision = 'default';

/** Injection on: the namespace is labelled for it and the pod does not opt out (or opts in explicitly). */
export function wantsSidecar(namespace: KubeObject | undefined, pod: KubeObject): boolean {
  const podChoice =
    pod.metadata.labels?.['sidecar.istio.io/inject'] ?? pod.metadata.annotations?.['sidecar.istio.io/inject'];
  if (podChoice === 'false') return false;
  if (podChoice === 'true') return true;
  const labels = namespace?.metadata.labels ?? {};
  return (
    labels['istio-injection'] === 'enabled' ||
    (labels['istio.io/rev'] !== undefined && labels['istio-injection'] !== 'disabled')
  );
}

export function injectSidecar(pod: KubeObject): KubeObject {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isPlainObject) : [];
  if (containers.some((container) => container.name === 'istio-proxy')) return pod;
  const labels = pod.metadata.labels ?? {};
  const app = labels.app ?? pod.metadata.name ?? '';
  const version = labels.version ?? 'latest';
  const proxy = {
    name: 'istio-proxy',
    image: proxyImage,
    args: [
      'proxy',
      'sidecar',
      '--domain',
      `${pod.metadata.namespace}.svc.cluster.local`,
      '--proxyLogLevel=warning',
      '--proxyComponentLogLevel=misc:error',
      '--log_output_level=default:info',
    ],
    ports: [
      { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
      { containerPort: 15021, name: 'health', protocol: 'TCP' },
    ],
    env: [
      { name: 'ISTIO_META_WORKLOAD_NAME', value: app },
      { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
      { name: 'ISTIO_META_MESH_ID', value: 'cluster.local' },
      {
        name: 'ISTIO_META_APP_CONTAINERS',
        value: containers.map((container) => String(container.name)).join(','),
      },
    ],
    readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 15 },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    securityContext: { runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true, readOnlyRootFilesystem: true },
  };
  const init = {
    name: 'istio-init',
    image: proxyImage,
    args: [
      'istio-iptables',
      '-p',
      '15001',
      '-z',
      '15006',
      '-u',
      '1337',
      '-m',
      'REDIRECT',
      '-i',
      '*',
      '-x',
      '',
      '-b',
      '*',
      '-d',
      '15090,15021,15020',
    ],
  };
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      labels: {
        ...labels,
        'security.istio.io/tlsMode': 'istio',
        'service.istio.io/canonical-name': labels['service.istio.io/canonical-name'] ?? app,
        'service.istio.io/canonical-revision': labels['service.istio.io/canonical-revision'] ?? version,
      },
      annotations: {
        ...pod.metadata.annotations,
        'istio.io/rev': istioRevision,
        'kubectl.kubernetes.io/default-container': String(containers[0]?.name ?? app),
        'kubectl.kubernetes.io/default-logs-container': String(containers[0]?.name ?? app),
        'prometheus.io/path': '/stats/prometheus',
        'prometheus.io/port': '15020',
        'prometheus.io/scrape': 'true',
        'sidecar.istio.io/status': JSON.stringify({
          initContainers: ['istio-init'],
          containers: ['istio-proxy'],
          volumes: [
            'workload-socket',
            'credential-socket',
            'workload-certs',
            'istio-envoy',
            'istio-data',
            'istio-podinfo',
            'istio-token',
            'istiod-ca-cert',
          ],
          imagePullSecrets: null,
          revision: istioRevision,
        }),
      },
    },
    spec: {
      ...spec,
      initContainers: [...(Array.isArray(spec.initContainers) ? spec.initContainers : []), init],
      containers: [...containers, proxy],
    },
  };
}
