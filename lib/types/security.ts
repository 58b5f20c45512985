/**
 * The security views' answers: effective mutual TLS per namespace, workload and port
 * (`GET /api/security/mtls`), the authorization what-if (`POST /api/security/authz/check`) and the
 * policies with what they select (`GET /api/security/policies`). Computed by lib/security from the
 * configuration snapshot and, for what traffic actually did, from telemetry.
 */
import type { ApiWarning } from './api';
import type { ObjectRef } from './mesh-config';
import type { TelemetrySourceName } from './telemetry';

/** What a server sidecar accepts on a port (PeerAuthentication `mtls.mode`, UNSET resolved). */
export type PeerMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** The level of the PeerAuthentication that decided a mode; `default` is Istio's PERMISSIVE. */
export type ModeLevel = 'mesh' | 'namespace' | 'workload' | 'port' | 'default';

/** Where an effective mode comes from: the PeerAuthentication and the field that set it. */
export interface ModeOrigin {
  level: ModeLevel;
  /** the deciding PeerAuthentication; absent for Istio's default */
  policy?: ObjectRef;
  /** the deciding field, e.g. `spec.mtls.mode`, `spec.portLevelMtls.9080.mode` */
  path?: string;
}

export interface EffectiveMode {
  mode: PeerMode;
  origin: ModeOrigin;
}

/**
 * What a client sidecar sends: a DestinationRule's `tls.mode`, or `AUTO` (none set: auto-mTLS, or
 * plaintext when the mesh turned auto-mTLS off).
 */
export type ClientTlsMode = 'ISTIO_MUTUAL' | 'MUTUAL' | 'SIMPLE' | 'DISABLE' | 'AUTO';

/** The TLS that clients with a sidecar use towards one service port. */
export interface ClientTls {
  /** clients in this namespace; `*` for clients in every namespace not listed on its own */
  clientNamespace: string;
  /** traffic a VirtualService routes to this DestinationRule subset; absent: traffic without a subset */
  subset?: string;
  mode: ClientTlsMode;
  /** whether those clients send Istio mutual TLS */
  mutual: boolean;
  /** the DestinationRule that set the mode (absent for auto-mTLS) and the field */
  destinationRule?: ObjectRef & { path: string };
  /** the decision in words */
  reason: string;
}

/** A service port in front of a workload port. */
export interface ServicePortRef extends ObjectRef {
  port: number;
  /** the port's name, e.g. `http` */
  portName: string;
}

/** Requests a workload received over the window (destination-reported), by security policy. */
export interface ObservedMtls {
  /** requests per second received */
  rps: number;
  /** requests per second received over mutual TLS */
  mtlsRps: number;
  /** 0-100 */
  mtlsPercent: number;
  /** callers that sent plaintext, with their plaintext requests per second (`unknown` = no sidecar) */
  plaintextSources: { namespace: string; workload: string; rps: number }[];
}

export interface PortMtls {
  /** the workload's port (a Service's targetPort), as PeerAuthentication `portLevelMtls` names it */
  port: number;
  mode: PeerMode;
  origin: ModeOrigin;
  /** the Service ports that send here */
  services: ServicePortRef[];
  /** what clients send, per service port in `services` order (flattened, with `service` named) */
  clients: (ClientTls & { service: ServicePortRef })[];
}

export interface WorkloadMtls extends ObjectRef {
  kind: string;
  app: string;
  version: string;
  serviceAccount: string;
  /** whether the workload's pods run the sidecar; without it no mode is enforced */
  sidecar: boolean;
  /** the workload-level mode (ports may override it) */
  mode: PeerMode;
  origin: ModeOrigin;
  ports: PortMtls[];
  /** what traffic did over the window; null without telemetry or without requests */
  observed: ObservedMtls | null;
}

/** The namespace's lock: all STRICT, all PERMISSIVE, all DISABLE, or a mix across its workloads. */
export type MtlsStatus = PeerMode | 'MIXED';

export interface NamespaceMtls {
  namespace: string;
  /** the namespace-wide mode (its own PeerAuthentication, else the mesh's) */
  mode: PeerMode;
  origin: ModeOrigin;
  /** over the ports of its workloads with a sidecar; the namespace mode when it has none */
  status: MtlsStatus;
  /** workload ports (with a sidecar) per effective mode, and workloads without a sidecar */
  counts: { STRICT: number; PERMISSIVE: number; DISABLE: number; noSidecar: number };
}

export interface MeshMtls {
  rootNamespace: string;
  mode: PeerMode;
  origin: ModeOrigin;
  /** MeshConfig `enableAutoMtls` */
  autoMtls: boolean;
  /** over the listed namespaces */
  status: MtlsStatus;
}

export type SecuritySeverity = 'error' | 'warning' | 'info';

/** Stable codes of the mTLS findings. */
export type MtlsConflictCode =
  /** a DestinationRule sends plaintext to a STRICT port: requests fail */
  | 'dr-disable-to-strict'
  /** a DestinationRule originates TLS with its own certificates to a STRICT sidecar port */
  | 'dr-tls-origination-to-strict'
  /** a DestinationRule sends Istio mTLS to a port with mTLS disabled: the handshake fails */
  | 'dr-mutual-to-disable'
  /** auto-mTLS sends mutual TLS to a workload- or port-level DISABLE (it reads only namespace and mesh modes) */
  | 'auto-mtls-to-disable'
  /** a DestinationRule sends Istio mTLS to a workload without a sidecar */
  | 'dr-mutual-to-no-sidecar'
  /** auto-mTLS is off and no DestinationRule turns mTLS on towards a STRICT port */
  | 'strict-without-client-mtls'
  /** a PeerAuthentication selects a workload without a sidecar: nothing enforces it */
  | 'policy-without-sidecar'
  /** `portLevelMtls` in a PeerAuthentication without a selector: Istio ignores it */
  | 'port-level-without-selector'
  /** `portLevelMtls` names a port the selected workloads do not expose */
  | 'port-level-unknown-port'
  /** a PeerAuthentication's selector matches no workload */
  | 'selector-matches-nothing'
  /** more than one mesh-wide, namespace-wide or workload PeerAuthentication applies */
  | 'several-policies'
  /** an `mtls.mode` Istio does not know */
  | 'unknown-mode'
  /** a PERMISSIVE port received plaintext over the window */
  | 'permissive-receives-plaintext'
  /** a PERMISSIVE workload received only mutual TLS over the window: STRICT would change nothing */
  | 'permissive-all-mtls'
  /** requests towards a STRICT workload failed to connect (plaintext refused) over the window */
  | 'strict-plaintext-failing'
  /** a STRICT workload received plaintext over the window (before the policy took effect?) */
  | 'strict-received-plaintext';

export interface MtlsConflict {
  code: MtlsConflictCode;
  severity: SecuritySeverity;
  message: string;
  namespace: string;
  workload?: string;
  port?: number;
  /** the objects involved */
  objects: (ObjectRef & { kind: string })[];
}

/** Observed traffic between two workloads, with what configuration expects of it. */
export interface MtlsEdge {
  source: { namespace: string; workload: string };
  destination: { namespace: string; workload: string };
  /** the destination service's FQDN */
  service: string;
  /** requests per second (destination-reported) */
  rps: number;
  /** 0-100 */
  mtlsPercent: number;
  /** what configuration says this caller sends: mutual TLS, plaintext, or unknown (caller not listed) */
  expected: 'mutual' | 'plaintext' | 'unknown';
  /** a mismatch between the traffic and the destination's mode, in words */
  mismatch?: string;
}

export interface MtlsResponse {
  timestamp: string;
  /** ISO time the configuration is current as of */
  asOf: string;
  mesh: MeshMtls;
  namespaces: NamespaceMtls[];
  workloads: WorkloadMtls[];
  edges: MtlsEdge[];
  conflicts: MtlsConflict[];
  /** the source and window of `observed` and `edges`; null when telemetry could not be read */
  telemetry: { source: TelemetrySourceName; windowSeconds: number } | null;
  warnings: ApiWarning[];
}

/** `POST /api/security/authz/check`. */
export interface AuthzCheckRequest {
  source: {
    namespace: string;
    /** the caller's service account (its principal is TRUST_DOMAIN/ns/NAMESPACE/sa/NAME) */
    serviceAccount?: string;
    /** the caller's SPIFFE principal, with or without `spiffe://` */
    principal?: string;
    /** the caller's IP */
    ip?: string;
    /** a workload in `namespace`: its service account, sidecar and pod IP fill what is not given */
    workload?: string;
    /** whether the caller runs a sidecar (sends mTLS); derived from the workload or namespace when unset */
    sidecar?: boolean;
    /** the JWT principal (`ISS/SUB`) of a request authenticated by a RequestAuthentication */
    requestPrincipal?: string;
  };
  destination: { namespace: string; workload: string };
  request: {
    method: string;
    path: string;
    /** the destination port (workload or service port); the only one when unset */
    port?: number;
    /** header names are case-insensitive */
    headers?: Record<string, string>;
    /** the Host (authority); the `host` header, else the destination service's name */
    host?: string;
    /** `tcp` makes HTTP-only rule fields behave as Istio does for TCP; default http */
    protocol?: 'http' | 'tcp';
  };
}

/** CUSTOM: a matching CUSTOM policy sends the request to an external authorizer that decides. */
export type AuthzDecision = 'ALLOW' | 'DENY' | 'CUSTOM';

export type AuthzAction = 'ALLOW' | 'DENY' | 'CUSTOM' | 'AUDIT';

/** One applicable policy in evaluation order, and what it did with the request. */
export interface AuthzTraceStep {
  policy: ObjectRef;
  action: AuthzAction;
  /** CUSTOM: the extension provider */
  provider?: string;
  /** `istio.io/dry-run: "true"`: evaluated and logged, never enforced */
  dryRun: boolean;
  matched: boolean;
  /** the matching rule's index in `spec.rules` */
  rule?: number;
  /** why it matched, or why none of its rules did */
  reason: string;
}

export interface AuthzCheckResponse {
  decision: AuthzDecision;
  /**
   * the deciding object: the AuthorizationPolicy; or, refused at the connection, the
   * PeerAuthentication (STRICT against plaintext) or DestinationRule (mTLS to a port with it disabled)
   */
  policy?: ObjectRef & {
    kind: 'AuthorizationPolicy' | 'PeerAuthentication' | 'DestinationRule';
    action?: AuthzAction;
  };
  /** the deciding rule's index in `spec.rules` */
  rule?: number;
  /** the decision in words */
  reason: string;
  /** `connection`: refused before authorization (mTLS); `authorization`: by the policies */
  stage: 'connection' | 'authorization';
  /** what the destination sidecar sees of the caller */
  peer: {
    mtls: boolean;
    principal?: string;
    namespace?: string;
    ip?: string;
    port?: number;
  };
  /** every applicable policy in evaluation order (CUSTOM, DENY, ALLOW, AUDIT) */
  trace: AuthzTraceStep[];
  /** assumptions made for what the request left out */
  notes: string[];
  warnings: ApiWarning[];
}

/** A rule of an AuthorizationPolicy, in words. */
export interface AuthzRuleSummary {
  index: number;
  text: string;
}

export interface WorkloadRef extends ObjectRef {
  /** whether its pods run the sidecar that enforces the policy */
  sidecar: boolean;
}

export interface AuthorizationPolicySummary extends ObjectRef {
  action: AuthzAction;
  provider?: string;
  dryRun: boolean;
  /** mesh: root namespace without selector; namespace: no selector; workload: with a selector */
  scope: 'mesh' | 'namespace' | 'workload' | 'targetRef';
  selector?: Record<string, string>;
  /** the listed workloads it applies to (none for `targetRef` policies: gateways and waypoints) */
  selects: WorkloadRef[];
  /** e.g. `ALLOW nothing (denies every request)` */
  summary: string;
  rules: AuthzRuleSummary[];
}

export interface PeerAuthenticationSummary extends ObjectRef {
  level: 'mesh' | 'namespace' | 'workload';
  /** `UNSET` inherits from the level above */
  mode: PeerMode | 'UNSET';
  portLevel: { port: number; mode: PeerMode | 'UNSET' }[];
  selector?: Record<string, string>;
  selects: WorkloadRef[];
  summary: string;
}

export interface RequestAuthenticationSummary extends ObjectRef {
  selector?: Record<string, string>;
  selects: WorkloadRef[];
  issuers: string[];
}

/** The policies that apply to one workload, in evaluation order, and its default. */
export interface WorkloadAuthz extends ObjectRef {
  sidecar: boolean;
  policies: (ObjectRef & { action: AuthzAction; dryRun: boolean })[];
  /** deny when an enforced ALLOW policy applies (requests no ALLOW rule matches are denied) */
  defaultAction: 'allow' | 'deny';
}

/** A graph edge's denied requests beside what configuration decides (lib/security/graph-denials). */
export interface EdgeAuthz {
  /** requests per second answered 403 over the window */
  deniedRps: number;
  /** the configuration's decision for the edge's caller and destination; `unknown` when not checkable */
  decision: AuthzDecision | 'unknown';
  stage?: 'connection' | 'authorization';
  policy?: AuthzCheckResponse['policy'];
  rule?: number;
  /** the verdict in words */
  reason: string;
}

/** A local rate limit an EnvoyFilter adds (`envoy.filters.http.local_ratelimit`). */
export interface LocalRateLimitSummary extends ObjectRef {
  /** the patch's `match.context`: SIDECAR_INBOUND, SIDECAR_OUTBOUND, GATEWAY or ANY */
  context: string;
  /** `workloadSelector.labels`; absent: the namespace (the mesh from the root namespace) */
  selector?: Record<string, string>;
  selects: WorkloadRef[];
  /** the token bucket: burst size, tokens added per fill, seconds between fills */
  maxTokens?: number;
  tokensPerFill?: number;
  fillIntervalSeconds?: number;
  /** `filter_enabled` / `filter_enforced` as percentages (Envoy's default for both is 0) */
  enabledPercent?: number;
  enforcedPercent?: number;
  /** the limit in words */
  summary: string;
}

export interface PoliciesResponse {
  asOf: string;
  authorizationPolicies: AuthorizationPolicySummary[];
  peerAuthentications: PeerAuthenticationSummary[];
  requestAuthentications: RequestAuthenticationSummary[];
  /** local rate limits from EnvoyFilters, with the workloads they apply to */
  rateLimits: LocalRateLimitSummary[];
  workloads: WorkloadAuthz[];
  warnings: ApiWarning[];
}
