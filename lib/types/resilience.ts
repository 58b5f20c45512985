/**
 * `GET /api/resilience/NAMESPACE/SERVICE`: circuit breakers and outlier ejections of one service,
 * as its DestinationRules configure them and as its callers' Envoys apply them right now.
 * Times are ISO strings, durations milliseconds, rates per second, counts over the window.
 */
import type { ApiWarning } from './api';

export interface PodRef {
  namespace: string;
  name: string;
}

export interface WorkloadRef {
  namespace: string;
  workload: string;
}

/** Where a section of the effective policy came from (Istio merges whole sections, not fields). */
export type PolicySource = 'subset-port' | 'subset' | 'port' | 'top-level' | 'default';

/** Connection-pool limits as Envoy gets them; `null` is no limit. */
export interface EffectiveConnectionPool {
  /** tcp.maxConnections → max_connections */
  maxConnections: number | null;
  /** http.http1MaxPendingRequests → max_pending_requests: requests queued for a connection */
  http1MaxPendingRequests: number | null;
  /** http.http2MaxRequests → max_requests: requests in flight */
  http2MaxRequests: number | null;
  /** http.maxRequestsPerConnection; null = keep-alive without limit */
  maxRequestsPerConnection: number | null;
  /** http.maxRetries → max_retries: retries in flight at once */
  maxRetries: number | null;
  connectTimeoutMs: number;
  /** http.idleTimeout; null = Envoy's default (1 h) */
  idleTimeoutMs: number | null;
}

export interface EffectiveOutlierDetection {
  /** 0: this kind of detection is off */
  consecutive5xxErrors: number;
  consecutiveGatewayErrors: number;
  /** only with splitExternalLocalOriginErrors */
  consecutiveLocalOriginFailures: number | null;
  splitExternalLocalOriginErrors: boolean;
  intervalMs: number;
  baseEjectionTimeMs: number;
  maxEjectionPercent: number;
  minHealthPercent: number;
  /** Envoy's cap on one ejection (max_ejection_time: 300 s, or baseEjectionTime if longer) */
  maxEjectionTimeMs: number;
}

export interface EffectiveLoadBalancer {
  /** ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH; `consistentHash` for hash-based; LEAST_REQUEST unset */
  algorithm: string;
  consistentHash: Record<string, unknown> | null;
  localityLbSetting: boolean;
  warmupDurationMs: number | null;
}

export type GuidanceSeverity = 'info' | 'warning';

export interface PolicyGuidance {
  severity: GuidanceSeverity;
  /** the DestinationRule field it is about, e.g. `outlierDetection.consecutive5xxErrors` */
  field: string;
  message: string;
}

/** The policy Envoy applies to one cluster: a service port, whole or one subset. */
export interface ClusterPolicy {
  /** `outbound|9080|v3|reviews.default.svc.cluster.local` */
  cluster: string;
  port: number;
  /** null: the service as a whole */
  subset: string | null;
  /** the subset's labels; empty for the whole service */
  labels: Record<string, string>;
  /** the service's pods in it */
  pods: PodRef[];
  connectionPool: { value: EffectiveConnectionPool; from: PolicySource };
  outlierDetection: { value: EffectiveOutlierDetection | null; from: PolicySource };
  loadBalancer: { value: EffectiveLoadBalancer; from: PolicySource };
  tlsMode: { value: string | null; from: PolicySource };
  /** the policy in sentences */
  explanation: string[];
  guidance: PolicyGuidance[];
}

export interface AppliedDestinationRule {
  /** null: no DestinationRule applies, Istio's defaults do */
  rule: { namespace: string; name: string; resourceVersion: string; host: string } | null;
  /** the callers' namespaces (of those looked at) that get this rule */
  callerNamespaces: string[];
  /** the rule applies only to callers with these labels (`workloadSelector`) */
  workloadSelector: Record<string, string> | null;
  clusters: ClusterPolicy[];
}

/** How an upstream host stands in its caller's load balancing, from Envoy's health flags. */
export type HostState =
  | 'ejected'
  | 'failed-health-check'
  | 'unhealthy'
  | 'draining'
  | 'pending-removal'
  | 'pending-health-check'
  | 'degraded'
  | 'healthy';

/** What is known of an ejection: seen by polling, so its start lies between two polls. */
export interface HostEjection {
  /** the first poll that saw the host ejected */
  seenAt: string;
  /** the poll before, which saw it in service; null when the first poll already saw it ejected */
  after: string | null;
  /** Envoy's consecutive-ejection count (its time multiplier); null when it cannot be known */
  count: number | null;
  /** at least this many (when `count` is null) */
  countAtLeast: number;
  /** when Envoy lets the host back: not before / not after; null where it cannot be known */
  returnEarliest: string | null;
  returnLatest: string | null;
  /** why the figures are bounds or missing, in words */
  note: string;
}

export interface UpstreamHost {
  address: string;
  port: number | null;
  /** the pod behind the address, when it is one of the service's */
  pod: PodRef | null;
  state: HostState;
  /** Envoy's health flags as `/clusters` gives them (`failed_outlier_check`, …) */
  flags: string[];
  /** Envoy's per-host counters since the caller's proxy started */
  stats: {
    requests: number;
    errors: number;
    timeouts: number;
    activeRequests: number;
    activeConnections: number;
    connectFailures: number;
  };
  /** percent, when success-rate detection computed it */
  successRate: number | null;
  priority: number;
  zone: string;
  ejection: HostEjection | null;
}

export interface CircuitBreakerLimits {
  priority: 'default' | 'high';
  /** null: no limit */
  maxConnections: number | null;
  maxPendingRequests: number | null;
  maxRequests: number | null;
  maxRetries: number | null;
}

/** One upstream cluster of the service in one caller's Envoy. */
export interface CallerCluster {
  name: string;
  port: number;
  subset: string | null;
  /** the limits Envoy runs with, from `/clusters` */
  circuitBreakers: CircuitBreakerLimits[];
  hosts: UpstreamHost[];
  ejected: number;
  total: number;
  /** from the DestinationRule; null without outlier detection */
  maxEjectionPercent: number | null;
  /** the most hosts outlier detection may eject at once (Envoy always allows one) */
  maxEjectable: number | null;
  /** no further host can be ejected now */
  atEjectionLimit: boolean;
}

export interface CallerView {
  pod: PodRef;
  workload: string;
  /** the last successful poll of its Envoy; null before the first */
  polledAt: string | null;
  /** why the last poll failed */
  error: string | null;
  /** its proxy emits the outlier and overflow stats */
  statsEnabled: boolean;
  clusters: CallerCluster[];
}

/** One pod of the service across all its polled callers. */
export interface PodResilience {
  pod: PodRef;
  address: string;
  subsets: string[];
  /** the worst state any caller gives it */
  state: HostState;
  /** callers whose Envoy ejects it now */
  ejectedBy: number;
  /** callers whose Envoy knows it */
  seenBy: number;
}

export interface ResilienceSummary {
  pods: number;
  /** pods ejected by at least one caller */
  ejectedPods: number;
  callers: number;
  /** `1 of 3 pods ejected` */
  text: string;
}

/** One observed ejection of a host by one caller (from polls). */
export interface EjectionEvent {
  caller: PodRef;
  cluster: string;
  address: string;
  pod: PodRef | null;
  /** first poll seeing it ejected */
  start: string;
  /** the poll before; the ejection began after it */
  startAfter: string | null;
  /** first poll seeing it back; null while ejected */
  end: string | null;
  /** ejections within the period: Envoy may let the host back and eject it again between polls */
  ejections: number;
}

export interface EjectionSeries {
  caller: PodRef;
  cluster: string;
  /** hosts ejected at each time */
  points: { time: string; ejected: number }[];
}

export interface ResilienceHistory {
  /** `prometheus`: envoy_cluster_outlier_detection_ejections_active; `polls`: this server's polls */
  source: 'prometheus' | 'polls';
  windowSeconds: number;
  /** seconds between points */
  stepSeconds: number;
  /** polls began then (history before it is not known to them) */
  pollingSince: string | null;
  series: EjectionSeries[];
  /** per host, from polls whatever the source of the series */
  events: EjectionEvent[];
}

export interface OverflowCounters {
  caller: PodRef;
  cluster: string;
  /** increase over the window: requests refused because the pending queue was full */
  pendingOverflow: number;
  /** connections refused at maxConnections */
  connectionOverflow: number;
  /** ejections enforced by outlier detection */
  ejectionsEnforced: number;
}

export interface FlaggedResponses {
  source: WorkloadRef;
  /** `UO` (circuit breaker open: overflow) or `UH` (no healthy upstream: all ejected) */
  flag: 'UO' | 'UH';
  responseCode: string;
  /** per second over the window */
  rate: number;
  /** about this many over the window */
  count: number;
}

export interface OverflowView {
  windowSeconds: number;
  /** where the counters came from; `none` when no proxy emits them */
  source: 'prometheus' | 'polls' | 'none';
  counters: OverflowCounters[];
  responses: FlaggedResponses[];
  totals: { pendingOverflow: number; connectionOverflow: number; uo: number; uh: number };
}

export interface StatsStatus {
  /** every polled caller's proxy emits the outlier and overflow stats */
  enabled: boolean;
  /** callers whose proxies do not */
  missing: WorkloadRef[];
  /** the pod annotation that turns them on (put it on the pod template) */
  annotation: { name: string; value: string };
  /** what to do, in words */
  advice: string;
}

export interface PollingStatus {
  intervalMs: number;
  /** how the callers were found */
  callersFrom: 'telemetry' | 'namespace' | 'none';
  /** caller pods polled per round */
  polled: number;
  /** more callers than the limit: the rest are not polled */
  capped: boolean;
  /** requests to Envoy admin per round for this service */
  requestsPerRound: number;
  lastPollAt: string | null;
}

export interface ResilienceResponse {
  timestamp: string;
  service: { namespace: string; name: string; fqdn: string; ports: number[] };
  windowSeconds: number;
  summary: ResilienceSummary;
  policies: AppliedDestinationRule[];
  callers: CallerView[];
  pods: PodResilience[];
  history: ResilienceHistory;
  overflow: OverflowView;
  statsEnabled: boolean;
  stats: StatsStatus;
  polling: PollingStatus;
  warnings: ApiWarning[];
}
