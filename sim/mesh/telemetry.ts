/**
 * The series each simulated sidecar exposes, named and labelled as Istio's stats filter and Envoy
 * emit them: request count, duration and size histograms per reporter, TCP byte and connection
 * counters, and Envoy cluster stats (outlier detection, overflow) where the pod's
 * `proxy.istio.io/config` proxyStatsMatcher asks for them.
 */
import type { MeshPod } from './mesh-config';

/** Istio's default duration buckets, in milliseconds. */
export const durationBuckets = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];
/** Istio's default size buckets, in bytes (exponential, base 10). */
export const sizeBuckets = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000];

export const requestLabelNames = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_canonical_service',
  'source_canonical_revision',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
] as const;

export type RequestLabels = Record<(typeof requestLabelNames)[number], string>;

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: number[]) {
    this.counts = new Array<number>(bounds.length).fill(0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    for (let index = 0; index < this.bounds.length; index += 1) {
      if (value <= (this.bounds[index] ?? Number.POSITIVE_INFINITY)) {
        this.counts[index] = (this.counts[index] ?? 0) + 1;
        return;
      }
    }
  }
}

interface RequestSeries {
  labels: string;
  requests: number;
  duration: Histogram;
  requestBytes: Histogram;
  responseBytes: Histogram;
}

interface TcpSeries {
  labels: string;
  sent: number;
  received: number;
  opened: number;
  closed: number;
}

export interface ClusterStats {
  ejectionsActive: number;
  ejectionsEnforced: number;
  ejectionsConsecutive5xx: number;
  pendingOverflow: number;
  connectionOverflow: number;
  requests: number;
}

function escapeLabel(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

export function renderLabels(names: readonly string[], labels: Record<string, string>): string {
  return names.map((name) => `${name}="${escapeLabel(labels[name] ?? '')}"`).join(',');
}

/** Which Envoy stats a proxy emits beyond the defaults (`proxyStatsMatcher.inclusionRegexps`). */
export function statsInclusions(pod: MeshPod): RegExp[] {
  const annotation = pod.object.metadata.annotations?.['proxy.istio.io/config'];
  if (!annotation) return [];
  try {
    const config = JSON.parse(annotation) as {
      proxyStatsMatcher?: {
        inclusionRegexps?: unknown;
        inclusionPrefixes?: unknown;
        inclusionSuffixes?: unknown;
      };
    };
    const matcher = config.proxyStatsMatcher ?? {};
    const asList = (value: unknown) =>
      Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
    return [
      ...asList(matcher.inclusionRegexps).map((pattern) => new RegExp(`^(?:${pattern})$`)),
      ...asList(matcher.inclusionPrefixes).map(
        (prefix) => new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      ),
      ...asList(matcher.inclusionSuffixes).map(
        (suffix) => new RegExp(`${suffix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      ),
    ];
  } catch {
    // A malformed annotation is what Istio ignores too: the proxy keeps its defaults.
    return [];
  }
}

/** One pod's sidecar series. */
export class SidecarMetrics {
  private readonly requests = new Map<string, RequestSeries>();
  private readonly tcp = new Map<string, TcpSeries>();
  readonly clusters = new Map<string, ClusterStats>();

  recordRequest(
    labels: RequestLabels,
    durationMs: number,
    requestBytes: number,
    responseBytes: number,
  ): void {
    const key = renderLabels(requestLabelNames, labels);
    let series = this.requests.get(key);
    if (!series) {
      series = {
        labels: key,
        requests: 0,
        duration: new Histogram(durationBuckets),
        requestBytes: new Histogram(sizeBuckets),
        responseBytes: new Histogram(sizeBuckets),
      };
      this.requests.set(key, series);
    }
    series.requests += 1;
    series.duration.observe(durationMs);
    series.requestBytes.observe(requestBytes);
    series.responseBytes.observe(responseBytes);
  }

  /** `sentBytes`: server to client (the response direction); `receivedBytes`: client to server. */
  recordTcp(labels: RequestLabels, sentBytes: number, receivedBytes: number): void {
    const tcpLabels = { ...labels, request_protocol: 'tcp', response_code: '0', grpc_response_status: '' };
    const names = requestLabelNames.filter(
      (name) => name !== 'request_protocol' && name !== 'grpc_response_status',
    );
    const key = renderLabels(names, tcpLabels);
    let series = this.tcp.get(key);
    if (!series) {
      series = { labels: key, sent: 0, received: 0, opened: 0, closed: 0 };
      this.tcp.set(key, series);
    }
    series.opened += 1;
    series.closed += 1;
    series.sent += sentBytes;
    series.received += receivedBytes;
  }

  cluster(name: string): ClusterStats {
    let stats = this.clusters.get(name);
    if (!stats) {
      stats = {
        ejectionsActive: 0,
        ejectionsEnforced: 0,
        ejectionsConsecutive5xx: 0,
        pendingOverflow: 0,
        connectionOverflow: 0,
        requests: 0,
      };
      this.clusters.set(name, stats);
    }
    return stats;
  }

  /** Prometheus text exposition; `extraLabels` (e.g. `namespace="x",pod="y"`) go first on every series. */
  render(inclusions: RegExp[], extraLabels = ''): string {
    const prefix = extraLabels ? `${extraLabels},` : '';
    const lines: string[] = [];
    const histogram = (name: string, series: RequestSeries[], pick: (entry: RequestSeries) => Histogram) => {
      if (series.length === 0) return;
      lines.push(`# TYPE ${name} histogram`);
      for (const entry of series) {
        const values = pick(entry);
        let cumulative = 0;
        values.bounds.forEach((bound, index) => {
          cumulative += values.counts[index] ?? 0;
          lines.push(`${name}_bucket{${prefix}${entry.labels},le="${bound}"} ${cumulative}`);
        });
        lines.push(`${name}_bucket{${prefix}${entry.labels},le="+Inf"} ${values.count}`);
        lines.push(`${name}_sum{${prefix}${entry.labels}} ${values.sum}`);
        lines.push(`${name}_count{${prefix}${entry.labels}} ${values.count}`);
      }
    };
    const requestSeries = [...this.requests.values()];
    if (requestSeries.length > 0) {
      lines.push('# TYPE istio_requests_total counter');
      for (const entry of requestSeries)
        lines.push(`istio_requests_total{${prefix}${entry.labels}} ${entry.requests}`);
    }
    histogram('istio_request_duration_milliseconds', requestSeries, (entry) => entry.duration);
    histogram('istio_request_bytes', requestSeries, (entry) => entry.requestBytes);
    histogram('istio_response_bytes', requestSeries, (entry) => entry.responseBytes);
    const tcpSeries = [...this.tcp.values()];
    const counter = (name: string, value: (entry: TcpSeries) => number) => {
      if (tcpSeries.length === 0) return;
      lines.push(`# TYPE ${name} counter`);
      for (const entry of tcpSeries) lines.push(`${name}{${prefix}${entry.labels}} ${value(entry)}`);
    };
    counter('istio_tcp_sent_bytes_total', (entry) => entry.sent);
    counter('istio_tcp_received_bytes_total', (entry) => entry.received);
    counter('istio_tcp_connections_opened_total', (entry) => entry.opened);
    counter('istio_tcp_connections_closed_total', (entry) => entry.closed);
    this.renderClusterStats(lines, inclusions, prefix);
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  }

  private renderClusterStats(lines: string[], inclusions: RegExp[], prefix: string): void {
    if (inclusions.length === 0) return;
    const stats: [string, string, 'gauge' | 'counter', (stats: ClusterStats) => number][] = [
      [
        'outlier_detection.ejections_active',
        'envoy_cluster_outlier_detection_ejections_active',
        'gauge',
        (entry) => entry.ejectionsActive,
      ],
      [
        'outlier_detection.ejections_enforced_total',
        'envoy_cluster_outlier_detection_ejections_enforced_total',
        'counter',
        (entry) => entry.ejectionsEnforced,
      ],
      [
        'outlier_detection.ejections_enforced_consecutive_5xx',
        'envoy_cluster_outlier_detection_ejections_enforced_consecutive_5xx',
        'counter',
        (entry) => entry.ejectionsConsecutive5xx,
      ],
      [
        'upstream_rq_pending_overflow',
        'envoy_cluster_upstream_rq_pending_overflow',
        'counter',
        (entry) => entry.pendingOverflow,
      ],
      [
        'upstream_cx_overflow',
        'envoy_cluster_upstream_cx_overflow',
        'counter',
        (entry) => entry.connectionOverflow,
      ],
      ['upstream_rq_total', 'envoy_cluster_upstream_rq_total', 'counter', (entry) => entry.requests],
    ];
    for (const [statName, metricName, type, value] of stats) {
      const included = [...this.clusters.entries()].filter(([cluster]) =>
        inclusions.some((pattern) => pattern.test(`cluster.${cluster}.${statName}`)),
      );
      if (included.length === 0) continue;
      lines.push(`# TYPE ${metricName} ${type}`);
      for (const [cluster, entry] of included)
        lines.push(`${metricName}{${prefix}cluster_name="${escapeLabel(cluster)}"} ${value(entry)}`);
    }
  }
}
