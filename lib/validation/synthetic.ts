import type {
  ConfigSnapshot,
  IstioKind,
  IstioObject,
  NamespaceInfo,
  PodInfo,
  ServiceInfo,
  WorkloadInfo,
} from '../types/mesh-config';

/**
 * A synthetic mesh of a given size, for benchmarks and for tests that need volume: namespaces of
 * 20 apps, each app a Service, a Deployment, two pods (v1 and v2), a VirtualService splitting
 * v1/v2 (some with header matches) and a DestinationRule with both subsets; per namespace a
 * PeerAuthentication, a Sidecar and an AuthorizationPolicy; a few Gateways and ServiceEntries.
 * About one object in fifty is broken the way real meshes are (unknown subset, unknown host,
 * typo in a selector), so findings are produced too. Deterministic.
 */
export interface SyntheticMesh {
  snapshot: ConfigSnapshot;
  /** objects in the snapshot: namespaces, Services, workloads, pods and Istio objects */
  objects: number;
}

const APPS_PER_NAMESPACE = 20;
/** objects per app: Service, Deployment, 2 pods, VirtualService, DestinationRule */
const OBJECTS_PER_APP = 6;
/** objects per namespace besides its apps: Namespace, PeerAuthentication, Sidecar, AuthorizationPolicy, ServiceEntry */
const OBJECTS_PER_NAMESPACE = 5;

function istio(kind: IstioKind, namespace: string, name: string, spec: Record<string, unknown>): IstioObject {
  return {
    kind,
    apiVersion:
      kind.endsWith('Authentication') || kind === 'AuthorizationPolicy'
        ? 'security.istio.io/v1'
        : 'networking.istio.io/v1',
    namespace,
    name,
    resourceVersion: '1',
    labels: {},
    annotations: {},
    spec,
  };
}

export function syntheticMesh(targetObjects: number): SyntheticMesh {
  const perNamespace = APPS_PER_NAMESPACE * OBJECTS_PER_APP + OBJECTS_PER_NAMESPACE;
  const namespaceCount = Math.max(1, Math.round(targetObjects / perNamespace));
  const namespaces: NamespaceInfo[] = [{ name: 'istio-system', labels: {} }];
  const services: ServiceInfo[] = [];
  const workloads: WorkloadInfo[] = [];
  const pods: PodInfo[] = [];
  const objects: IstioObject[] = [];
  let serial = 0;
  /** one object in fifty is broken */
  const broken = () => ++serial % 50 === 0;

  pods.push({
    namespace: 'istio-system',
    name: 'istio-ingressgateway-0',
    labels: { istio: 'ingressgateway' },
    annotations: {},
    serviceAccount: 'istio-ingressgateway',
    phase: 'Running',
    podIP: '10.0.0.2',
    containers: ['istio-proxy'],
    sidecar: true,
    workload: 'istio-ingressgateway',
  });
  services.push({
    namespace: 'istio-system',
    name: 'istio-ingressgateway',
    fqdn: 'istio-ingressgateway.istio-system.svc.cluster.local',
    selector: { istio: 'ingressgateway' },
    ports: [
      { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
    ],
    labels: { istio: 'ingressgateway' },
  });
  objects.push(istio('PeerAuthentication', 'istio-system', 'default', { mtls: { mode: 'STRICT' } }));

  for (let n = 0; n < namespaceCount; n++) {
    const namespace = `team-${n}`;
    namespaces.push({ name: namespace, labels: broken() ? {} : { 'istio-injection': 'enabled' } });
    objects.push(
      istio('PeerAuthentication', namespace, 'default', {
        mtls: { mode: n % 3 === 0 ? 'PERMISSIVE' : 'STRICT' },
      }),
    );
    objects.push(istio('Sidecar', namespace, 'default', { egress: [{ hosts: ['./*', 'istio-system/*'] }] }));
    objects.push(
      istio('AuthorizationPolicy', namespace, 'allow-frontend', {
        selector: { matchLabels: { app: broken() ? 'app-typo' : 'app-0' } },
        rules: [
          {
            from: [{ source: { namespaces: [namespace, 'istio-system'] } }],
            to: [{ operation: { methods: ['GET', 'POST'] } }],
          },
        ],
      }),
    );
    objects.push(
      istio('ServiceEntry', namespace, 'partner-api', {
        hosts: [`api-${n}.partner.example.com`],
        ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
        resolution: 'DNS',
        location: 'MESH_EXTERNAL',
        exportTo: ['.'],
      }),
    );
    if (n % 10 === 0) {
      objects.push(
        istio('Gateway', namespace, 'public', {
          selector: { istio: 'ingressgateway' },
          servers: [
            { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [`${namespace}.example.com`] },
          ],
        }),
      );
    }
    for (let a = 0; a < APPS_PER_NAMESPACE; a++) {
      const app = `app-${a}`;
      const fqdn = `${app}.${namespace}.svc.cluster.local`;
      services.push({
        namespace,
        name: app,
        fqdn,
        selector: { app },
        ports: [{ name: broken() ? 'web' : 'http', port: 9080, targetPort: 9080, protocol: 'TCP' }],
        labels: { app },
      });
      workloads.push({
        kind: 'Deployment',
        namespace,
        name: `${app}-v1`,
        app,
        version: 'v1',
        labels: { app, version: 'v1' },
        serviceAccount: app,
        desiredReplicas: 2,
        readyReplicas: 2,
        pods: 2,
        sidecar: true,
        outlierStatsEnabled: false,
      });
      for (const version of ['v1', 'v2']) {
        pods.push({
          namespace,
          name: `${app}-${version}-0`,
          labels: { app, version },
          annotations: {},
          serviceAccount: app,
          phase: 'Running',
          podIP: `10.${n % 250}.${a}.${version === 'v1' ? 1 : 2}`,
          containers: ['app', 'istio-proxy'],
          sidecar: true,
          workload: `${app}-${version}`,
        });
      }
      const matched = a % 4 === 0;
      objects.push(
        istio('VirtualService', namespace, app, {
          hosts: [app],
          ...(n % 10 === 0 && a === 0 ? { gateways: ['public', 'mesh'] } : {}),
          http: [
            ...(matched
              ? [
                  {
                    match: [{ headers: { 'end-user': { exact: 'jason' } } }],
                    route: [{ destination: { host: app, subset: 'v2' } }],
                  },
                ]
              : []),
            {
              route: [
                { destination: { host: broken() ? `${app}-old` : app, subset: 'v1' }, weight: 90 },
                { destination: { host: app, subset: broken() ? 'v3' : 'v2' }, weight: 10 },
              ],
            },
          ],
        }),
      );
      objects.push(
        istio('DestinationRule', namespace, app, {
          host: fqdn,
          trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 100 } } },
          subsets: [
            { name: 'v1', labels: { version: 'v1' } },
            { name: 'v2', labels: { version: broken() ? 'v2-typo' : 'v2' } },
          ],
        }),
      );
    }
  }
  const snapshot: ConfigSnapshot = {
    namespaces,
    services,
    workloads,
    pods,
    rootNamespace: 'istio-system',
    istio: objects,
    asOf: new Date(0).toISOString(),
    secrets: [],
  };
  return {
    snapshot,
    objects: namespaces.length + services.length + workloads.length + pods.length + objects.length,
  };
}
