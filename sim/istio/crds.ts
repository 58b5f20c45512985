/**
 * Istio's CustomResourceDefinitions as a cluster with Istio installed has them: names, served
 * versions, short names, categories and printer columns as in istio/api's generated bundle, with
 * schemas covering the fields the dashboard and the simulated mesh use. Applying Istio's own
 * bundle (`kubectl apply -f crd-all.gen.yaml`) replaces these with the full upstream schemas.
 */
import type { PrinterColumn } from '../cluster/resource-type';
import type { KubeObject } from '../cluster/types';

type Schema = Record<string, unknown>;

const str = (description?: string): Schema =>
  description ? { type: 'string', description } : { type: 'string' };
const int32: Schema = { type: 'integer', format: 'int32' };
const uint32: Schema = { type: 'integer', minimum: 0, maximum: 4294967295 };
const num: Schema = { type: 'number', format: 'double' };
const bool: Schema = { type: 'boolean' };
const duration: Schema = { type: 'string', description: 'A duration such as 5s or 100ms.' };
const strings: Schema = { type: 'array', items: { type: 'string' } };
const labels: Schema = { type: 'object', additionalProperties: { type: 'string' } };
const open: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const openList: Schema = { type: 'array', items: open };
const enumOf = (...values: string[]): Schema => ({ type: 'string', enum: values });
const list = (items: Schema): Schema => ({ type: 'array', items });
const object = (properties: Record<string, Schema>, required?: string[]): Schema =>
  required ? { type: 'object', properties, required } : { type: 'object', properties };
const percent: Schema = object({ value: num });

const stringMatch = object({ exact: str(), prefix: str(), regex: str() });
const portSelector = object({ number: uint32 });
const destination = object(
  { host: str('The name of a service from the service registry.'), subset: str(), port: portSelector },
  ['host'],
);
const workloadSelector = object({ matchLabels: labels });

const httpRoute = object({
  name: str(),
  match: list(
    object({
      name: str(),
      uri: stringMatch,
      scheme: stringMatch,
      method: stringMatch,
      authority: stringMatch,
      headers: { type: 'object', additionalProperties: stringMatch },
      queryParams: { type: 'object', additionalProperties: stringMatch },
      port: uint32,
      sourceLabels: labels,
      gateways: strings,
      sourceNamespace: str(),
      ignoreUriCase: bool,
      withoutHeaders: { type: 'object', additionalProperties: stringMatch },
    }),
  ),
  route: list(object({ destination, weight: int32, headers: open }, ['destination'])),
  redirect: open,
  directResponse: open,
  delegate: object({ name: str(), namespace: str() }),
  rewrite: object({ uri: str(), authority: str(), uriRegexRewrite: open }),
  timeout: duration,
  retries: object({
    attempts: int32,
    perTryTimeout: duration,
    retryOn: str(),
    retryRemoteLocalities: { type: 'boolean', nullable: true },
  }),
  fault: object({
    delay: object({ fixedDelay: duration, percentage: percent, percent: int32 }),
    abort: object({ httpStatus: int32, grpcStatus: str(), percentage: percent }),
  }),
  mirror: destination,
  mirrorPercentage: percent,
  mirrors: openList,
  corsPolicy: open,
  headers: open,
});

const virtualServiceSpec = object({
  hosts: strings,
  gateways: strings,
  http: list(httpRoute),
  tls: openList,
  tcp: list(
    object({ match: openList, route: list(object({ destination, weight: int32 }, ['destination'])) }),
  ),
  exportTo: strings,
});

const tlsSettings = object({
  mode: enumOf('DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'),
  clientCertificate: str(),
  privateKey: str(),
  caCertificates: str(),
  credentialName: str(),
  subjectAltNames: strings,
  sni: str(),
  insecureSkipVerify: { type: 'boolean', nullable: true },
});

const trafficPolicy = object({
  loadBalancer: object({
    simple: enumOf('UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST'),
    consistentHash: open,
    localityLbSetting: open,
    warmupDurationSecs: duration,
  }),
  connectionPool: object({
    tcp: object({
      maxConnections: int32,
      connectTimeout: duration,
      tcpKeepalive: open,
      maxConnectionDuration: duration,
    }),
    http: object({
      http1MaxPendingRequests: int32,
      http2MaxRequests: int32,
      maxRequestsPerConnection: int32,
      maxRetries: int32,
      idleTimeout: duration,
      h2UpgradePolicy: enumOf('DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE'),
      useClientProtocol: bool,
      maxConcurrentStreams: int32,
    }),
  }),
  outlierDetection: object({
    splitExternalLocalOriginErrors: bool,
    consecutiveLocalOriginFailures: { type: 'integer', nullable: true },
    consecutiveGatewayErrors: { type: 'integer', nullable: true, minimum: 0, maximum: 4294967295 },
    consecutive5xxErrors: { type: 'integer', nullable: true, minimum: 0, maximum: 4294967295 },
    consecutiveErrors: int32,
    interval: duration,
    baseEjectionTime: duration,
    maxEjectionPercent: int32,
    minHealthPercent: int32,
  }),
  tls: tlsSettings,
  portLevelSettings: openList,
  tunnel: open,
  proxyProtocol: open,
});

const destinationRuleSpec = object(
  {
    host: str('The name of a service from the service registry.'),
    trafficPolicy,
    subsets: list(object({ name: str(), labels, trafficPolicy }, ['name'])),
    exportTo: strings,
    workloadSelector,
  },
  ['host'],
);

const gatewaySpec = object({
  selector: labels,
  servers: list(
    object(
      {
        port: object({ number: uint32, protocol: str(), name: str(), targetPort: uint32 }, [
          'number',
          'protocol',
          'name',
        ]),
        bind: str(),
        hosts: strings,
        tls: open,
        defaultEndpoint: str(),
        name: str(),
      },
      ['port', 'hosts'],
    ),
  ),
});

const serviceEntrySpec = object(
  {
    hosts: strings,
    addresses: strings,
    ports: list(
      object({ number: uint32, protocol: str(), name: str(), targetPort: uint32 }, ['number', 'name']),
    ),
    location: enumOf('MESH_EXTERNAL', 'MESH_INTERNAL'),
    resolution: enumOf('NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN'),
    endpoints: openList,
    workloadSelector: object({ labels }),
    exportTo: strings,
    subjectAltNames: strings,
  },
  ['hosts'],
);

const peerAuthenticationSpec = object({
  selector: workloadSelector,
  mtls: object({ mode: enumOf('UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT') }),
  portLevelMtls: {
    type: 'object',
    additionalProperties: object({ mode: enumOf('UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT') }),
  },
});

const authorizationPolicySpec = object({
  selector: workloadSelector,
  targetRef: open,
  targetRefs: openList,
  action: enumOf('ALLOW', 'DENY', 'AUDIT', 'CUSTOM'),
  provider: object({ name: str() }),
  rules: list(
    object({
      from: list(
        object({
          source: object({
            principals: strings,
            notPrincipals: strings,
            requestPrincipals: strings,
            notRequestPrincipals: strings,
            namespaces: strings,
            notNamespaces: strings,
            ipBlocks: strings,
            notIpBlocks: strings,
            remoteIpBlocks: strings,
            notRemoteIpBlocks: strings,
            serviceAccounts: strings,
            notServiceAccounts: strings,
          }),
        }),
      ),
      to: list(
        object({
          operation: object({
            hosts: strings,
            notHosts: strings,
            ports: strings,
            notPorts: strings,
            methods: strings,
            notMethods: strings,
            paths: strings,
            notPaths: strings,
          }),
        }),
      ),
      when: list(object({ key: str(), values: strings, notValues: strings }, ['key'])),
    }),
  ),
});

interface IstioKind {
  group: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  versions: string[];
  storage: string;
  columns?: PrinterColumn[];
  spec: Schema;
}

const age: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

const networking = ['v1', 'v1alpha3', 'v1beta1'];
const security = ['v1', 'v1beta1'];

export const istioKinds: IstioKind[] = [
  {
    group: 'networking.istio.io',
    kind: 'VirtualService',
    plural: 'virtualservices',
    shortNames: ['vs'],
    versions: networking,
    storage: 'v1alpha3',
    columns: [
      {
        name: 'Gateways',
        type: 'string',
        jsonPath: '.spec.gateways',
        description: 'The names of gateways and sidecars that should apply these routes',
      },
      {
        name: 'Hosts',
        type: 'string',
        jsonPath: '.spec.hosts',
        description: 'The destination hosts to which traffic is being sent',
      },
      age,
    ],
    spec: virtualServiceSpec,
  },
  {
    group: 'networking.istio.io',
    kind: 'DestinationRule',
    plural: 'destinationrules',
    shortNames: ['dr'],
    versions: networking,
    storage: 'v1alpha3',
    columns: [
      {
        name: 'Host',
        type: 'string',
        jsonPath: '.spec.host',
        description: 'The name of a service from the service registry',
      },
      age,
    ],
    spec: destinationRuleSpec,
  },
  {
    group: 'networking.istio.io',
    kind: 'Gateway',
    plural: 'gateways',
    shortNames: ['gw'],
    versions: networking,
    storage: 'v1alpha3',
    spec: gatewaySpec,
  },
  {
    group: 'networking.istio.io',
    kind: 'ServiceEntry',
    plural: 'serviceentries',
    shortNames: ['se'],
    versions: networking,
    storage: 'v1alpha3',
    columns: [
      {
        name: 'Hosts',
        type: 'string',
        jsonPath: '.spec.hosts',
        description: 'The hosts associated with the ServiceEntry',
      },
      {
        name: 'Location',
        type: 'string',
        jsonPath: '.spec.location',
        description:
          'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)',
      },
      {
        name: 'Resolution',
        type: 'string',
        jsonPath: '.spec.resolution',
        description: 'Service resolution mode for the hosts (NONE, STATIC, or DNS)',
      },
      age,
    ],
    spec: serviceEntrySpec,
  },
  {
    group: 'networking.istio.io',
    kind: 'Sidecar',
    plural: 'sidecars',
    versions: networking,
    storage: 'v1alpha3',
    spec: open,
  },
  {
    group: 'networking.istio.io',
    kind: 'EnvoyFilter',
    plural: 'envoyfilters',
    versions: ['v1alpha3'],
    storage: 'v1alpha3',
    spec: open,
  },
  {
    group: 'networking.istio.io',
    kind: 'WorkloadEntry',
    plural: 'workloadentries',
    shortNames: ['we'],
    versions: networking,
    storage: 'v1alpha3',
    columns: [
      age,
      {
        name: 'Address',
        type: 'string',
        jsonPath: '.spec.address',
        description: 'Address associated with the network endpoint.',
      },
    ],
    spec: object({
      address: str(),
      ports: { type: 'object', additionalProperties: uint32 },
      labels,
      network: str(),
      locality: str(),
      weight: uint32,
      serviceAccount: str(),
    }),
  },
  {
    group: 'networking.istio.io',
    kind: 'WorkloadGroup',
    plural: 'workloadgroups',
    shortNames: ['wg'],
    versions: networking,
    storage: 'v1alpha3',
    columns: [age],
    spec: open,
  },
  {
    group: 'networking.istio.io',
    kind: 'ProxyConfig',
    plural: 'proxyconfigs',
    versions: ['v1beta1'],
    storage: 'v1beta1',
    spec: open,
  },
  {
    group: 'security.istio.io',
    kind: 'AuthorizationPolicy',
    plural: 'authorizationpolicies',
    shortNames: ['ap'],
    versions: security,
    storage: 'v1',
    columns: [
      { name: 'Action', type: 'string', jsonPath: '.spec.action', description: 'The operation to take.' },
      age,
    ],
    spec: authorizationPolicySpec,
  },
  {
    group: 'security.istio.io',
    kind: 'PeerAuthentication',
    plural: 'peerauthentications',
    shortNames: ['pa'],
    versions: security,
    storage: 'v1',
    columns: [
      {
        name: 'Mode',
        type: 'string',
        jsonPath: '.spec.mtls.mode',
        description: 'Defines the mTLS mode used for peer authentication.',
      },
      age,
    ],
    spec: peerAuthenticationSpec,
  },
  {
    group: 'security.istio.io',
    kind: 'RequestAuthentication',
    plural: 'requestauthentications',
    shortNames: ['ra'],
    versions: security,
    storage: 'v1',
    spec: open,
  },
  {
    group: 'telemetry.istio.io',
    kind: 'Telemetry',
    plural: 'telemetries',
    shortNames: ['telemetry'],
    versions: ['v1', 'v1alpha1'],
    storage: 'v1alpha1',
    columns: [age],
    spec: open,
  },
  {
    group: 'extensions.istio.io',
    kind: 'WasmPlugin',
    plural: 'wasmplugins',
    versions: ['v1alpha1'],
    storage: 'v1alpha1',
    columns: [age],
    spec: open,
  },
];

/** The CRD object for one Istio kind, as `istioctl install` leaves it in the cluster. */
export function istioCrd(kind: IstioKind): KubeObject {
  const plural = kind.plural;
  const singular = kind.kind.toLowerCase();
  const names: Record<string, unknown> = {
    categories: [
      'istio-io',
      kind.group.split('.')[0] === 'extensions'
        ? 'extensions-istio-io'
        : `${kind.group.split('.')[0]}-istio-io`,
    ],
    kind: kind.kind,
    listKind: `${kind.kind}List`,
    plural,
    singular,
  };
  if (kind.shortNames) names.shortNames = kind.shortNames;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.${kind.group}`,
      labels: { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' },
      annotations: { 'helm.sh/resource-policy': 'keep' },
    },
    spec: {
      group: kind.group,
      names,
      scope: 'Namespaced',
      versions: kind.versions.map((version) => {
        const entry: Record<string, unknown> = {
          name: version,
          served: true,
          storage: version === kind.storage,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: kind.spec,
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
              required: ['spec'],
            },
          },
          subresources: { status: {} },
        };
        if (kind.columns) entry.additionalPrinterColumns = kind.columns;
        return entry;
      }),
    },
  };
}

export function istioCrds(): KubeObject[] {
  return istioKinds.map(istioCrd);
}
