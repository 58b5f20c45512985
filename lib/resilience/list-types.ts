/** `GET /api/resilience?namespaces=a,b`: services with their circuit breakers and current ejections. */
import type { ApiWarning } from '../types/api';
import type { NodeEjection } from '../types/graph';

export interface ResilienceServiceSummary {
  namespace: string;
  name: string;
  /** `namespace/name` of the DestinationRule that applies in the service's own namespace; null: Istio's defaults */
  destinationRule: string | null;
  /** outlier detection in a few words; null when off */
  outlierDetection: string | null;
  /** connection-pool limits in a few words; null when unlimited */
  connectionPool: string | null;
  /** subsets with a traffic policy of their own */
  subsetPolicies: string[];
  /** pods ejected now by their callers' Envoys; null when not watched (no outlier detection or no callers) */
  ejection: NodeEjection | null;
}

export interface ResilienceListResponse {
  timestamp: string;
  namespaces: string[];
  services: ResilienceServiceSummary[];
  /** caller proxies polled for the ejections */
  callerPods: number;
  warnings: ApiWarning[];
}
