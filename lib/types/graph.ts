/**
 * The service graph as `GET /api/graph` returns it (DESIGN.md §4): renderer-agnostic nodes and
 * edges with their numbers, badges and health. The UI adapts it to cytoscape elements.
 */
import type { ApiWarning } from './api';
import type { EdgeAuthz } from './security';
import type { TelemetrySourceName } from './telemetry';

export type GraphType = 'workload' | 'app' | 'versionedApp' | 'service';

export type NodeKind = 'workload' | 'app' | 'service' | 'serviceentry' | 'unknown';

export type HealthStatus = 'healthy' | 'degraded' | 'failure' | 'idle' | 'na';

export interface Health {
  status: HealthStatus;
  /** share of failing requests, 0–1, over the worse of inbound and outbound */
  errorRate: number;
  /** why, in words, when not healthy */
  reason?: string;
}

export type Badge =
  | 'virtualService'
  | 'trafficShifting'
  | 'faultInjection'
  | 'requestTimeout'
  | 'retries'
  | 'circuitBreaker'
  | 'mirroring'
  | 'missingSidecar'
  | 'gateway'
  | 'serviceEntry'
  /** the configuration that applies to the node has validation findings (warnings or errors) */
  | 'configFindings';

export interface NodeTraffic {
  /** requests per second into the node */
  inboundRps: number;
  /** requests per second out of the node */
  outboundRps: number;
  /** share of inbound requests that failed (5xx or no response), 0–1 */
  inboundErrorRate: number;
  outboundErrorRate: number;
}

export interface GraphNode {
  id: string;
  kind: NodeKind;
  namespace: string;
  name: string;
  app?: string;
  version?: string;
  workload?: string;
  service?: string;
  /** the app box a versioned-app node sits in */
  parent?: string;
  /** an app box grouping versioned-app nodes (has no traffic of its own) */
  isBox?: boolean;
  isGateway?: boolean;
  /** no traffic in the window (shown only with `idle=true`) */
  isIdle?: boolean;
  /** sends traffic but receives none */
  isRoot?: boolean;
  /** outside the mesh: no sidecar, or an unknown caller */
  isOutside?: boolean;
  badges: Badge[];
  health: Health;
  traffic: NodeTraffic;
  /** validation findings of the configuration that applies to the node, by severity */
  findings?: { error: number; warning: number; info: number };
  /** its pods ejected by outlier detection in their callers' proxies (services with outlier detection only) */
  ejection?: NodeEjection;
}

/** `1 of 3 pods ejected`: pods ejected by at least one caller's Envoy, of the node's pods. */
export interface NodeEjection {
  ejected: number;
  total: number;
  text: string;
}

export interface ResponseTime {
  /** milliseconds */
  p50: number;
  p95: number;
  p99: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  protocol: 'http' | 'grpc' | 'tcp';
  /** requests per second (TCP: 0; see throughput) */
  rps: number;
  /** this edge's share of the source node's outbound requests, 0–100 */
  percentOfSource: number;
  /** share of failing requests, 0–1 */
  errorRate: number;
  responseTime: ResponseTime | null;
  /** bytes per second in each direction */
  throughput: { sentBytesPerSecond: number; receivedBytesPerSecond: number } | null;
  /** share of requests over mutual TLS, 0–100 */
  mtlsPercent: number;
  /** requests per second by HTTP status (`200`, `503`) */
  responseCodes: Record<string, number>;
  /** requests per second by Envoy response flags (`UO`, `UH`); `-` excluded */
  responseFlags: Record<string, number>;
  /** with denied (403) requests: what configuration decides for this caller (lib/security/graph-denials) */
  authz?: EdgeAuthz;
  sourcePrincipals: string[];
  destinationPrincipals: string[];
  isIdle?: boolean;
  health: HealthStatus;
}

export interface GraphResponse {
  /** ISO time the graph was built */
  timestamp: string;
  /** rate window in seconds */
  duration: number;
  graphType: GraphType;
  namespaces: string[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  telemetry: { source: TelemetrySourceName; windowSeconds: number } | null;
  warnings: ApiWarning[];
}
