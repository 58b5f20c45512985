/**
 * `GET /api/overview`: per-namespace health, traffic and object counts for the overview page.
 */
import type { ApiWarning } from './api';
import type { HealthStatus } from './graph';
import type { TelemetrySourceName } from './telemetry';

export interface NamespaceOverview {
  name: string;
  /** worst health of the namespace's workloads (idle: none had traffic; na: no workloads) */
  health: HealthStatus;
  /** requests per second received by the namespace's workloads over the window */
  requestRate: number;
  /** share of those requests that failed, 0–1 */
  errorRate: number;
  workloads: number;
  services: number;
  /** Istio configuration objects in the namespace (VirtualServices, DestinationRules, ...) */
  istioObjects: number;
}

export interface OverviewResponse {
  /** ISO time the overview was computed */
  timestamp: string;
  namespaces: NamespaceOverview[];
  telemetry: { source: TelemetrySourceName; windowSeconds: number } | null;
  warnings: ApiWarning[];
}
