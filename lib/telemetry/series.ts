/**
 * The Istio series the dashboard reads, named once: which exposition metric each concern comes
 * from, and which labels each sample type needs. Both telemetry sources (Prometheus and direct
 * sidecar scrapes) reduce what they read to `RateSeries`, so everything after that is shared.
 */

/** The Istio counters the telemetry layer reads. */
export type TelemetryMetric =
  | 'requests'
  | 'durationBucket'
  | 'requestBytes'
  | 'responseBytes'
  | 'tcpSentBytes'
  | 'tcpReceivedBytes';

/**
 * Exposition names, as a sidecar's `:15020/stats/prometheus` serves them. TCP names keep Istio's
 * meaning whatever the reporter: `sent` is the server's response direction, `received` the
 * client's request direction (istio/istio#32399, kiali/kiali#6760).
 */
export const metricNames: Record<TelemetryMetric, string> = {
  requests: 'istio_requests_total',
  durationBucket: 'istio_request_duration_milliseconds_bucket',
  requestBytes: 'istio_request_bytes_sum',
  responseBytes: 'istio_response_bytes_sum',
  tcpSentBytes: 'istio_tcp_sent_bytes_total',
  tcpReceivedBytes: 'istio_tcp_received_bytes_total',
};

const metricByName = new Map<string, TelemetryMetric>(
  Object.entries(metricNames).map(([metric, name]) => [name, metric as TelemetryMetric]),
);

export function metricOfName(name: string): TelemetryMetric | undefined {
  return metricByName.get(name);
}

/** Who called which service, answered by which workload: the key of an edge. */
export const edgeLabels = [
  'source_workload_namespace',
  'source_workload',
  'source_canonical_service',
  'source_canonical_revision',
  'destination_workload_namespace',
  'destination_workload',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
] as const;

/** Everything a RequestSample carries: the edge, the reporter, the outcome and the security. */
export const requestLabels = [
  'reporter',
  ...edgeLabels,
  'source_principal',
  'destination_principal',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
] as const;

/**
 * Labels TCP throughput is grouped by: the edge, and the reporter, which the reporter choice
 * (reporters.ts) reads on every series.
 */
export const tcpThroughputLabels = ['reporter', ...edgeLabels] as const;

/** Labels HTTP throughput is grouped by; TCP series have no meaningful `request_protocol`. */
export const httpThroughputLabels = [...tcpThroughputLabels, 'request_protocol'] as const;

/** Labels request-duration buckets are grouped by. */
export const durationLabels = ['reporter', ...edgeLabels, 'le'] as const;

/** Every label the telemetry layer keeps from a series (the rest is dropped at the source). */
export const keptLabels: readonly string[] = [...new Set<string>([...requestLabels, 'le'])];

/** A per-second rate of one Istio counter for one label set, over the snapshot's window. */
export interface RateSeries {
  metric: TelemetryMetric;
  labels: Record<string, string>;
  /** per second */
  rate: number;
}

/** Istio's word for a peer it could not identify. */
export const unknown = 'unknown';

/** Only the labels the telemetry layer uses (the rest would only cost memory). */
export function keepLabels(labels: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of keptLabels) {
    const value = labels[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/** A stable identity for a metric and label set, for maps keyed by series. */
export function seriesKey(metric: TelemetryMetric, labels: Record<string, string>): string {
  let key = metric;
  for (const name of keptLabels) {
    const value = labels[name];
    if (value !== undefined) key += `\u0000${name}=${value}`;
  }
  return key;
}
