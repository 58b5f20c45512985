import type { FindingSeverity } from '../types/validation';

/**
 * Every finding code we emit, with the Istio (`istioctl analyze`) and Kiali codes it corresponds
 * to. Our codes are stable: `<kind>.<what>.<problem>`. A finding may drop the Istio code when it
 * reports a case Istio does not (see each checker), or carry a more specific Kiali code.
 *
 * `istioAnalyzers` names the Istio analyzers (their `Metadata().Name`) that report the same
 * thing; the conformance test compares our findings with theirs on Istio's own test cases.
 */
export interface CodeInfo {
  severity: FindingSeverity;
  istioCode?: string;
  kialiCode?: string;
  istioAnalyzers?: readonly string[];
  /** one line, for lists and documentation */
  title: string;
}

const DESTINATION_HOSTS = ['virtualservice.DestinationHostAnalyzer'];

export const CODES = {
  // VirtualService
  'vs.destination.host-not-found': {
    severity: 'error',
    istioCode: 'IST0101',
    kialiCode: 'KIA1101',
    istioAnalyzers: DESTINATION_HOSTS,
    title: 'A route destination host is neither a Service nor a ServiceEntry host visible here',
  },
  'vs.mirror.host-not-found': {
    severity: 'error',
    istioCode: 'IST0101',
    kialiCode: 'KIA1101',
    istioAnalyzers: DESTINATION_HOSTS,
    title: 'A mirror host is neither a Service nor a ServiceEntry host visible here',
  },
  'vs.destination.port-not-found': {
    severity: 'error',
    istioCode: 'IST0101',
    istioAnalyzers: DESTINATION_HOSTS,
    title: 'A destination port is not a port of the destination host',
  },
  'vs.destination.port-required': {
    severity: 'error',
    istioCode: 'IST0112',
    istioAnalyzers: DESTINATION_HOSTS,
    title: 'A destination host exposes several ports and the destination names none',
  },
  'vs.destination.subset-not-found': {
    severity: 'error',
    istioCode: 'IST0101',
    kialiCode: 'KIA1107',
    istioAnalyzers: ['virtualservice.DestinationRuleAnalyzer'],
    title: 'A destination subset is defined by no DestinationRule of its host',
  },
  'vs.gateway.not-found': {
    severity: 'error',
    istioCode: 'IST0101',
    kialiCode: 'KIA1102',
    istioAnalyzers: ['virtualservice.GatewayAnalyzer'],
    title: 'A gateway the VirtualService binds to does not exist',
  },
  'vs.gateway.internal-reference': {
    severity: 'warning',
    istioCode: 'IST0165',
    istioAnalyzers: ['virtualservice.GatewayAnalyzer'],
    title: 'A VirtualService binds a gateway Istio generates internally',
  },
  'vs.gateway.host-not-served': {
    severity: 'warning',
    istioCode: 'IST0132',
    istioAnalyzers: ['virtualservice.GatewayAnalyzer'],
    title: 'None of the VirtualService hosts is served by a gateway it binds to',
  },
  'vs.host.conflict': {
    severity: 'error',
    istioCode: 'IST0109',
    kialiCode: 'KIA1106',
    istioAnalyzers: ['virtualservice.ConflictingMeshGatewayHostsAnalyzer'],
    title: 'Several mesh VirtualServices claim the same host for the same namespaces',
  },
  'vs.route.unreachable': {
    severity: 'warning',
    istioCode: 'IST0130',
    istioAnalyzers: ['schema.ValidationAnalyzer.VirtualService'],
    title: 'A route rule can never match: earlier rules take all its traffic',
  },
  'vs.route.match-shadowed': {
    severity: 'info',
    istioCode: 'IST0131',
    istioAnalyzers: ['schema.ValidationAnalyzer.VirtualService'],
    title: 'A match condition is covered by an earlier one and never decides',
  },
  'vs.route.weights-not-100': {
    severity: 'warning',
    title: 'Route weights do not add up to 100',
  },
  'vs.route.weights-all-zero': {
    severity: 'error',
    title: 'Every destination of a route has weight 0',
  },
  'vs.route.single-weight': {
    severity: 'warning',
    kialiCode: 'KIA1104',
    title: 'A single destination carries a weight below 100, which Istio ignores',
  },
  'vs.route.duplicate-destination': {
    severity: 'warning',
    kialiCode: 'KIA1105',
    title: 'The same host and subset appear twice among the destinations of one route',
  },
  'vs.fault.delay-percent.deprecated': {
    severity: 'warning',
    istioCode: 'IST0002',
    istioAnalyzers: ['deprecation.DeprecationAnalyzer'],
    title: 'fault.delay.percent is deprecated: use fault.delay.percentage',
  },
  'vs.ingress.subset-routing-bypassed': {
    severity: 'warning',
    istioCode: 'IST0140',
    istioAnalyzers: DESTINATION_HOSTS,
    title: 'A gateway route skips the subset routing another VirtualService sets for its host',
  },
  // DestinationRule
  'dr.host.not-found': {
    severity: 'warning',
    istioCode: 'IST0174',
    kialiCode: 'KIA0202',
    istioAnalyzers: ['destinationrule.SubsetSelectPodAnalyzer'],
    title: 'The DestinationRule host matches no Service or ServiceEntry visible here',
  },
  'dr.subset.no-pods': {
    severity: 'error',
    istioCode: 'IST0173',
    kialiCode: 'KIA0203',
    istioAnalyzers: ['destinationrule.SubsetSelectPodAnalyzer'],
    title: 'A subset selects no pod of its host',
  },
  'dr.tls.no-ca-certificates': {
    severity: 'warning',
    istioCode: 'IST0128',
    istioAnalyzers: ['destinationrule.CaCertificateAnalyzer'],
    title: 'TLS to the upstream without caCertificates: its certificate is not verified',
  },
  'dr.host.conflict': {
    severity: 'warning',
    kialiCode: 'KIA0201',
    title: 'DestinationRules of one namespace define the same subset, or each a traffic policy, for one host',
  },
  'dr.mtls.conflicts-with-peer-authentication': {
    severity: 'error',
    title: "The DestinationRule's TLS mode contradicts the PeerAuthentication of the pods it reaches",
  },
  // Gateway
  'gateway.selector.no-workload': {
    severity: 'error',
    istioCode: 'IST0101',
    kialiCode: 'KIA0302',
    istioAnalyzers: ['gateway.IngressGatewayPortAnalyzer', 'gateway.SecretAnalyzer'],
    title: 'The Gateway selector matches no gateway pod',
  },
  'gateway.port.not-on-service': {
    severity: 'warning',
    istioCode: 'IST0162',
    istioAnalyzers: ['gateway.IngressGatewayPortAnalyzer'],
    title: "A Gateway port is not a port of the gateway pods' Service",
  },
  'gateway.tls.credential-not-found': {
    severity: 'error',
    istioCode: 'IST0101',
    istioAnalyzers: ['gateway.SecretAnalyzer'],
    title: "A TLS credentialName is not a Secret in the gateway pods' namespace",
  },
  'gateway.server.conflict': {
    severity: 'error',
    istioCode: 'IST0145',
    kialiCode: 'KIA0301',
    istioAnalyzers: ['gateway.ConflictingGatewayAnalyzer'],
    title: 'Two Gateways on the same pods claim the same host on the same port',
  },
  'gateway.tls.duplicate-certificate': {
    severity: 'warning',
    istioCode: 'IST0138',
    istioAnalyzers: ['gateway.CertificateAnalyzer'],
    title: 'Gateways on the same pods serve the same certificate (HTTP/2 connection reuse can give 404s)',
  },
  // ServiceEntry
  'se.port.protocol-conflict': {
    severity: 'warning',
    istioCode: 'IST0177',
    kialiCode: 'KIA1212',
    istioAnalyzers: ['serviceentry.ConflictingServiceEntryProtocolAnalyzer'],
    title: 'ServiceEntries give the same host and port different protocols',
  },
  'se.host.duplicate': {
    severity: 'warning',
    kialiCode: 'KIA1211',
    title: 'Several ServiceEntries define the same host and port',
  },
  'se.addresses.required': {
    severity: 'warning',
    istioCode: 'IST0134',
    istioAnalyzers: ['serviceentry.Analyzer'],
    title: 'A TCP ServiceEntry port without addresses cannot be matched by IP',
  },
  'se.workload-selector.no-workload': {
    severity: 'warning',
    title: 'The ServiceEntry workloadSelector matches no pod or WorkloadEntry',
  },
  // Sidecar
  'sidecar.selector.no-workload': {
    severity: 'error',
    istioCode: 'IST0101',
    kialiCode: 'KIA0004',
    istioAnalyzers: ['sidecar.SelectorAnalyzer'],
    title: 'The Sidecar workloadSelector matches no pod in its namespace',
  },
  'sidecar.selector.conflict': {
    severity: 'error',
    istioCode: 'IST0110',
    kialiCode: 'KIA0003',
    istioAnalyzers: ['sidecar.SelectorAnalyzer'],
    title: 'A pod is selected by several Sidecars',
  },
  'sidecar.namespace-default.conflict': {
    severity: 'error',
    istioCode: 'IST0111',
    kialiCode: 'KIA0002',
    istioAnalyzers: ['sidecar.SelectorAnalyzer'],
    title: 'Several Sidecars without workloadSelector in one namespace',
  },
  'sidecar.ambient.ineffective': {
    severity: 'warning',
    istioCode: 'IST0167',
    istioAnalyzers: ['sidecar.SelectorAnalyzer'],
    title: 'A Sidecar applies to ambient pods, which have no sidecar',
  },
  'sidecar.egress.host-not-found': {
    severity: 'warning',
    kialiCode: 'KIA1004',
    title: 'A Sidecar egress host matches no Service or ServiceEntry',
  },
  'sidecar.egress-proxy.deprecated': {
    severity: 'warning',
    istioCode: 'IST0002',
    istioAnalyzers: ['deprecation.DeprecationAnalyzer'],
    title: 'outboundTrafficPolicy.egressProxy is deprecated and ignored',
  },
  // Telemetry
  'telemetry.selector.no-workload': {
    severity: 'error',
    istioCode: 'IST0101',
    istioAnalyzers: ['telemetry.SelectorAnalyzer'],
    title: 'The Telemetry selector matches no pod in its namespace',
  },
  'telemetry.selector.conflict': {
    severity: 'error',
    istioCode: 'IST0159',
    istioAnalyzers: ['telemetry.SelectorAnalyzer'],
    title: 'A pod is selected by several Telemetries',
  },
  'telemetry.namespace-default.conflict': {
    severity: 'error',
    istioCode: 'IST0160',
    istioAnalyzers: ['telemetry.DefaultSelectorAnalyzer'],
    title: 'Several Telemetries without selector in one namespace',
  },
  // AuthorizationPolicy, PeerAuthentication, RequestAuthentication
  'authz.selector.no-workload': {
    severity: 'warning',
    istioCode: 'IST0127',
    kialiCode: 'KIA0004',
    istioAnalyzers: ['auth.AuthorizationPoliciesAnalyzer'],
    title: 'The AuthorizationPolicy selector matches no workload in the mesh',
  },
  'authz.namespace.no-workload': {
    severity: 'warning',
    istioCode: 'IST0127',
    istioAnalyzers: ['auth.AuthorizationPoliciesAnalyzer'],
    title: 'A namespace-wide AuthorizationPolicy in a namespace without meshed pods',
  },
  'authz.source.namespace-not-found': {
    severity: 'warning',
    istioCode: 'IST0101',
    kialiCode: 'KIA0101',
    istioAnalyzers: ['auth.AuthorizationPoliciesAnalyzer'],
    title: 'A source namespace of a rule matches no namespace',
  },
  'authz.operation.method-invalid': {
    severity: 'warning',
    kialiCode: 'KIA0102',
    title: 'A rule method is not an HTTP method',
  },
  'authz.operation.host-not-found': {
    severity: 'warning',
    kialiCode: 'KIA0104',
    title: 'A rule host is the host of no Service, ServiceEntry, VirtualService or Gateway',
  },
  'authz.source.principal-not-found': {
    severity: 'warning',
    kialiCode: 'KIA0106',
    title: 'A source principal names a service account that does not exist',
  },
  'peerauthentication.selector.no-workload': {
    severity: 'warning',
    kialiCode: 'KIA0004',
    title: 'The PeerAuthentication selector matches no pod in its namespace',
  },
  'requestauthentication.selector.no-workload': {
    severity: 'warning',
    kialiCode: 'KIA0004',
    title: 'The RequestAuthentication selector matches no pod in its namespace',
  },
  'peerauthentication.mtls.conflicts-with-destination-rule': {
    severity: 'error',
    title: 'The PeerAuthentication mode contradicts the TLS clients use to reach its pods',
  },
  // exportTo
  'exportto.namespace-not-found': {
    severity: 'warning',
    kialiCode: 'KIA0005',
    title: 'exportTo names a namespace that does not exist',
  },
  // Namespace, Pod, Service
  'namespace.injection.missing': {
    severity: 'info',
    istioCode: 'IST0102',
    istioAnalyzers: ['injection.Analyzer'],
    title: 'The namespace is not labelled for sidecar injection',
  },
  'namespace.injection.enabled-by-default': {
    severity: 'info',
    istioCode: 'IST0148',
    istioAnalyzers: ['injection.Analyzer'],
    title: 'The namespace is injected because the injector enables namespaces by default',
  },
  'namespace.injection.multiple-labels': {
    severity: 'warning',
    istioCode: 'IST0123',
    istioAnalyzers: ['injection.Analyzer'],
    title: 'The namespace carries more than one injection label',
  },
  'pod.sidecar.missing': {
    severity: 'warning',
    istioCode: 'IST0103',
    istioAnalyzers: ['injection.Analyzer'],
    title: 'A pod in an injected namespace runs without its sidecar',
  },
  'service.port.protocol-unknown': {
    severity: 'info',
    istioCode: 'IST0118',
    kialiCode: 'KIA0601',
    istioAnalyzers: ['service.PortNameAnalyzer'],
    title: 'A Service port names no protocol (name prefix or appProtocol)',
  },
  'service.port.external-name-invalid': {
    severity: 'warning',
    istioCode: 'IST0150',
    istioAnalyzers: ['service.PortNameAnalyzer'],
    title: 'An ExternalName Service port is named tcp or names no protocol',
  },
  // the CRD's openAPIV3Schema, checked by the server (server/validation/schema-check.ts)
  'schema.invalid': {
    severity: 'error',
    istioCode: 'IST0106',
    title: "The object does not match its CustomResourceDefinition's schema",
  },
  // istiod's own analysis, as written in the objects' status
  'istiod.validation-message': {
    severity: 'warning',
    title: "A message of istiod's analysis, from the object's status",
  },
} as const satisfies Record<string, CodeInfo>;

export type FindingCode = keyof typeof CODES;

export function codeInfo(code: FindingCode): CodeInfo {
  return CODES[code];
}
