/**
 * The gateways and service-entries APIs (`GET /api/gateways`, `GET /api/serviceentries`,
 * docs/api.md): how traffic enters the mesh and which external hosts it reaches.
 */
import type { ApiWarning } from './api';
import type { TelemetrySourceName } from './telemetry';
import type { Finding } from './validation';

export interface GatewayServer {
  port: number;
  portName: string;
  protocol: string;
  hosts: string[];
  /** `tls.mode` (SIMPLE, MUTUAL, PASSTHROUGH, ISTIO_MUTUAL, AUTO_PASSTHROUGH); absent without TLS */
  tlsMode?: string;
  /** `tls.credentialName`, the Secret holding the certificate */
  credentialName?: string;
  /** `tls.httpsRedirect` */
  httpsRedirect?: boolean;
}

export interface GatewayWorkload {
  namespace: string;
  /** the workload (Deployment) name */
  name: string;
  pods: { name: string; ready: boolean; ip: string }[];
}

export interface BoundVirtualService {
  namespace: string;
  name: string;
  hosts: string[];
  /** destination hosts its routes send to */
  destinations: string[];
}

/** Requests from the gateway workload to one service over the window. */
export interface GatewayTraffic {
  service: string;
  namespace: string;
  /** requests per second */
  requestRate: number;
  /** 0–1 */
  errorRate: number;
}

export interface GatewaySummary {
  namespace: string;
  name: string;
  selector: Record<string, string>;
  servers: GatewayServer[];
  workloads: GatewayWorkload[];
  virtualServices: BoundVirtualService[];
  traffic: GatewayTraffic[];
  /** requests per second leaving the gateway workloads into the mesh */
  totalRequestRate: number;
  findings: Finding[];
}

export interface GatewaysResponse {
  duration: number;
  items: GatewaySummary[];
  telemetry: { source: TelemetrySourceName; windowSeconds: number } | null;
  warnings: ApiWarning[];
}

export interface ServiceEntryPort {
  number: number;
  name: string;
  protocol: string;
  targetPort?: number;
}

/** Traffic from one caller to one external host over the window. */
export interface ExternalTraffic {
  /** the caller's workload */
  source: { namespace: string; workload: string };
  /**
   * the host as the telemetry names it (`destination_service`: a ServiceEntry host, or for
   * unregistered HTTP traffic the request's host; the cluster's name when TCP hides the host)
   */
  host: string;
  /** unregistered traffic only: the Envoy cluster it went through */
  cluster?: 'PassthroughCluster' | 'BlackHoleCluster';
  requestRate: number;
  errorRate: number;
}

export interface ServiceEntrySummary {
  namespace: string;
  name: string;
  hosts: string[];
  /** MESH_EXTERNAL (default) or MESH_INTERNAL */
  location: string;
  /** NONE (default), STATIC, DNS, DNS_ROUND_ROBIN */
  resolution: string;
  ports: ServiceEntryPort[];
  addresses: string[];
  endpoints: string[];
  exportTo: string[];
  traffic: ExternalTraffic[];
  findings: Finding[];
}

export interface ServiceEntriesResponse {
  duration: number;
  items: ServiceEntrySummary[];
  /** traffic that left the mesh without a ServiceEntry (`PassthroughCluster`) or was refused (`BlackHoleCluster`) */
  unregistered: ExternalTraffic[];
  telemetry: { source: TelemetrySourceName; windowSeconds: number } | null;
  warnings: ApiWarning[];
}
