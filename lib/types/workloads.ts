/**
 * What the workload pages and the traffic charts read: `GET /api/workloads`,
 * `GET /api/workloads/NS/NAME`, `GET /api/pods/NS/NAME/proxy-config`, `GET /api/pods/NS/NAME/logs`
 * and `GET /api/metrics/NS/workloads|services/NAME`.
 */
import type { AccessLogLine } from '../envoy/access-log';
import type { ClusterRow, ListenerRow, RouteRow } from '../envoy/config-dump';
import type { ApiWarning } from './api';
import type { HealthStatus } from './graph';
import type { WorkloadInfo } from './mesh-config';
import type { TelemetrySourceName } from './telemetry';

export type { AccessLogLine } from '../envoy/access-log';
export type { ClusterRow, ListenerRow, RouteRow } from '../envoy/config-dump';

/** An Istio object that applies to a workload, and why. */
export interface AppliedConfig {
  kind: string;
  namespace: string;
  name: string;
  /** `service reviews`, `selector app=reviews`, `namespace-wide`, `mesh-wide` */
  via: string;
}

export interface FindingCounts {
  error: number;
  warning: number;
  info: number;
}

/** `present` on every pod, `missing` on none, `partial` on some. */
export type SidecarState = 'present' | 'missing' | 'partial' | 'no-pods';

export interface WorkloadListItem {
  namespace: string;
  name: string;
  kind: WorkloadInfo['kind'];
  app: string;
  version: string;
  labels: Record<string, string>;
  pods: number;
  desiredReplicas: number;
  readyReplicas: number;
  sidecar: SidecarState;
  health: HealthStatus;
  healthReason?: string;
  /** requests per second the workload received over the window (null without telemetry) */
  requestRate: number | null;
  /** requests per second the workload sent */
  outboundRate: number | null;
  /** share of failed inbound requests, 0–1 */
  errorRate: number | null;
  /** 95th percentile of inbound request time, milliseconds; null without requests or histograms */
  p95: number | null;
  istioConfig: AppliedConfig[];
  /** validation findings of the Istio objects that apply */
  findings: FindingCounts;
}

export interface WorkloadListResponse {
  timestamp: string;
  namespaces: string[];
  /** rate window in seconds */
  duration: number;
  workloads: WorkloadListItem[];
  telemetry: { source: TelemetrySourceName; windowSeconds: number } | null;
  warnings: ApiWarning[];
}

/** Whether and why a pod is (not) injected with the sidecar, the way Istio's injector decides. */
export interface InjectionStatus {
  /** the pod has istio-proxy */
  injected: boolean;
  /** the namespace asks for it: `istio-injection=enabled`, `istio.io/rev=REV`, `disabled`, or none */
  namespace: 'enabled' | 'revision' | 'disabled' | 'none';
  /** the pod's `sidecar.istio.io/inject` label or annotation, when set */
  podSetting?: string;
  revision?: string;
  /** in words: why it has or lacks the sidecar, and what to do */
  reason: string;
}

export interface PodSummary {
  name: string;
  phase: string;
  podIP: string;
  /** container restarts, summed */
  restarts: number;
  ready: boolean;
  containers: string[];
  createdAt: string;
  injection: InjectionStatus;
  /** the pod's `istio.io/rev` / `sidecar.istio.io/status` revision, when known */
  proxyVersion?: string;
}

export interface WorkloadDetailResponse {
  workload: WorkloadListItem;
  pods: PodSummary[];
  services: string[];
  /** where to look further, when configured; the page adds its time window */
  links: { grafana?: string; tracing?: string };
  warnings: ApiWarning[];
}

export type ProxyConfigSection = 'clusters' | 'listeners' | 'routes' | 'all';

export interface ProxyConfigResponse {
  namespace: string;
  pod: string;
  section: ProxyConfigSection;
  clusters?: ClusterRow[];
  listeners?: ListenerRow[];
  routes?: RouteRow[];
  node?: { id: string; istioVersion: string };
  /** the `/config_dump` answer as Envoy gave it (only with `raw=true`) */
  raw?: unknown;
  fetchedAt: string;
  /** milliseconds the port-forward and admin request took */
  durationMs: number;
}

export interface PodLogsResponse {
  namespace: string;
  pod: string;
  container: string;
  lines: AccessLogLine[];
  /** lines read before filtering */
  read: number;
  fetchedAt: string;
}

export type TrafficDirection = 'inbound' | 'outbound';
export type TrafficKind = 'workload' | 'service';

export interface TrafficPoint {
  /** end of the step, ms since the epoch */
  time: number;
  /** requests per second */
  rps: number;
  /** requests per second by HTTP status (`0` = no response) */
  byCode: Record<string, number>;
  /** share of requests answered 5xx or not at all, 0–1; null without requests */
  errorRate: number | null;
  /** milliseconds; null without requests */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** bytes per second toward the workload (HTTP request bodies, TCP received) */
  requestBytesPerSecond: number;
  /** bytes per second back (HTTP response bodies, TCP sent) */
  responseBytesPerSecond: number;
}

/** Why a chart has nothing to show. */
export type EmptyReason = 'no-traffic' | 'no-history' | 'no-sidecar' | 'no-telemetry';

export interface TrafficSeriesResponse {
  namespace: string;
  kind: TrafficKind;
  name: string;
  direction: TrafficDirection;
  /** seconds covered */
  duration: number;
  /** seconds between points */
  step: number;
  points: TrafficPoint[];
  /** every response code seen, sorted */
  codes: string[];
  source: TelemetrySourceName | null;
  empty?: { reason: EmptyReason; message: string };
  warnings: ApiWarning[];
}
