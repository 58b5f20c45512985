/**
 * Traffic telemetry as the server hands it to the graph pipeline, the same whichever source it
 * came from (Prometheus or direct scrapes of the sidecars): rates over a window, per Istio label
 * set, already reduced to the labels the dashboard uses. `unknown` is Istio's own word for a peer
 * it could not identify (no sidecar, outside the mesh).
 */

export type TelemetrySourceName = 'prometheus' | 'direct';

export interface TrafficPeer {
  namespace: string;
  workload: string;
  app: string;
  version: string;
  /** SPIFFE principal, `unknown` without mutual TLS */
  principal: string;
}

export interface DestinationService {
  /** `reviews.default.svc.cluster.local`, or an external host for a ServiceEntry */
  fqdn: string;
  name: string;
  namespace: string;
}

/** Requests over the window for one label set. */
export interface RequestSample {
  reporter: 'source' | 'destination';
  source: TrafficPeer;
  destination: TrafficPeer;
  service: DestinationService;
  protocol: 'http' | 'grpc';
  /** HTTP status as text (`200`, `503`; `0` when no response) */
  responseCode: string;
  /** gRPC status code as text, empty for plain HTTP */
  grpcStatus: string;
  /** Envoy response flags (`-` for none, `UO`, `UH,URX`) */
  responseFlags: string;
  securityPolicy: 'mutual_tls' | 'none' | 'unknown';
  /** requests per second over the window */
  rate: number;
}

/** The key of an edge in telemetry: who called which service, answered by which workload. */
export interface EdgeKey {
  source: Pick<TrafficPeer, 'namespace' | 'workload' | 'app' | 'version'>;
  destination: Pick<TrafficPeer, 'namespace' | 'workload' | 'app' | 'version'>;
  service: DestinationService;
}

/** Request-duration histogram of one edge: per-bucket rates, cumulative as Prometheus keeps them. */
export interface DurationSample extends EdgeKey {
  /** `le` bound in milliseconds (Infinity for +Inf) and the cumulative rate below it, per second */
  buckets: { le: number; rate: number }[];
}

/** Bytes per second on one edge: HTTP request/response bodies, or TCP sent/received. */
export interface ThroughputSample extends EdgeKey {
  protocol: 'http' | 'grpc' | 'tcp';
  /** bytes per second sent by the source (HTTP request bodies, TCP sent) */
  sentBytesPerSecond: number;
  /** bytes per second returned to the source (HTTP response bodies, TCP received) */
  receivedBytesPerSecond: number;
}

export interface TelemetryWarning {
  source: string;
  message: string;
}

export interface TelemetrySnapshot {
  source: TelemetrySourceName;
  /** ISO time the rates were computed at */
  timestamp: string;
  /** seconds the rates are averaged over */
  windowSeconds: number;
  requests: RequestSample[];
  durations: DurationSample[];
  throughput: ThroughputSample[];
  warnings: TelemetryWarning[];
}

export interface TelemetryQuery {
  namespaces: string[];
  /** rate window in seconds */
  windowSeconds: number;
}
