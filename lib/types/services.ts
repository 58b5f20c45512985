/**
 * The services API (`GET /api/services`, `GET /api/services/NAMESPACE/NAME`, docs/api.md): each
 * Kubernetes Service with its traffic, its sidecar coverage and the Istio configuration that
 * applies to it. Plain data shared by the server and the browser.
 */
import type { ApiWarning } from './api';
import type { GraphEdge, GraphNode, Health } from './graph';
import type { IstioKind } from './mesh-config';
import type { TelemetrySourceName } from './telemetry';
import type { SplitRoute } from './traffic-split';
import type { Finding } from './validation';

/** Whether the pods behind a service run the istio-proxy sidecar. */
export type SidecarCoverage =
  /** every endpoint pod has the sidecar */
  | 'present'
  /** some endpoint pods lack it */
  | 'partial'
  /** no endpoint pod has it */
  | 'missing'
  /** the service selects no running pod (or has no selector) */
  | 'no-pods';

/** An Istio object that applies to a service, and why. */
export interface AppliedConfig {
  kind: IstioKind;
  namespace: string;
  name: string;
  /** why it applies, in words (`hosts include reviews.default.svc.cluster.local`) */
  reason: string;
}

export interface FindingCounts {
  error: number;
  warning: number;
  info: number;
}

/** Traffic into a service over the window; zeros when it had none. */
export interface ServiceTraffic {
  /** requests per second into the service */
  requestRate: number;
  /** share of those that failed (5xx or no response), 0–1 */
  errorRate: number;
  /** 95th percentile response time in milliseconds; null without duration data */
  p95Ms: number | null;
}

export interface ServiceSummary {
  namespace: string;
  name: string;
  /** `name.namespace.svc.cluster.local` */
  fqdn: string;
  /** ClusterIP, NodePort, LoadBalancer, ExternalName */
  type: string;
  health: Health;
  traffic: ServiceTraffic;
  sidecar: SidecarCoverage;
  /** running endpoint pods, and how many of them have the sidecar */
  pods: { total: number; withSidecar: number };
  config: AppliedConfig[];
  /** findings of the service itself and of the configuration that applies to it */
  findings: FindingCounts;
}

export interface ServicesResponse {
  /** rate window in seconds */
  duration: number;
  items: ServiceSummary[];
  telemetry: { source: TelemetrySourceName; windowSeconds: number } | null;
  warnings: ApiWarning[];
}

export interface ServicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
  targetPort: number;
}

export interface ServiceEndpoint {
  pod: string;
  ip: string;
  ready: boolean;
  /** the pod's workload (its Deployment, or the pod itself) */
  workload: string;
  sidecar: boolean;
  phase: string;
}

export interface AppliedConfigDetail extends AppliedConfig {
  findings: Finding[];
}

/** The routes of a VirtualService that send traffic to the service. */
export interface ServiceTrafficSplit {
  namespace: string;
  name: string;
  routes: SplitRoute[];
  /** some route sends to more than one destination */
  weighted: boolean;
}

export interface ServiceNeighbourhood {
  /** the service's node id (`svc:NAMESPACE:NAME`) */
  focus: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Links to tools outside the dashboard, when configured. */
export interface ExternalLinks {
  grafana?: string;
  tracing?: string;
}

export interface ServiceDetail {
  namespace: string;
  name: string;
  fqdn: string;
  type: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  health: Health;
  traffic: ServiceTraffic;
  sidecar: SidecarCoverage;
  ports: ServicePort[];
  endpoints: ServiceEndpoint[];
  config: AppliedConfigDetail[];
  /** findings about the Service object itself */
  findings: Finding[];
  trafficSplits: ServiceTrafficSplit[];
  neighbourhood: ServiceNeighbourhood;
  duration: number;
  telemetry: { source: TelemetrySourceName; windowSeconds: number } | null;
  links: ExternalLinks;
  warnings: ApiWarning[];
}
