/**
 * The series each simulated sidecar exposes, named and labelled as Istio's stats filter and Envoy
 * emit them: request count, duration and size histograms per reporter, TCP byte and connection
 * counters, and Envoy cluster stats (outlier detection, overflow) where the pod's
 * `proxy.istio.io/config` proxyStatsMatcher asks for them.
 *
 * Recording is per hop, so it works on pre-rendered label text (the engine caches it per peer
 * pair and outcome) and never renders labels itself. Exposition writes bytes, not strings: each
 * series keeps its label text encoded once, and a scrape copies those bytes into fixed-size
 * chunks that a server can stream, family by family, so each `# TYPE` line appears once.
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

/** TCP series carry the request labels but protocol and gRPC status. */
export const tcpLabelNames = requestLabelNames.filter(
  (name) => name !== 'request_protocol' && name !== 'grpc_response_status',
);

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
    const bounds = this.bounds;
    for (let index = 0; index < bounds.length; index += 1) {
      if (value <= (bounds[index] as number)) {
        this.counts[index] = (this.counts[index] ?? 0) + 1;
        return;
      }
    }
  }
}

/** A series' label text as UTF-8, encoded at its first scrape. */
interface EncodedLabels {
  labels: string;
  /** the pod's labels (`namespace="…",pod="…",`) then `labels` */
  withPod: Buffer | undefined;
  /** `labels` alone: a view into `withPod` */
  alone: Buffer | undefined;
}

export interface RequestSeries extends EncodedLabels {
  requests: number;
  duration: Histogram;
  requestBytes: Histogram;
  responseBytes: Histogram;
}

export interface TcpSeries extends EncodedLabels {
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

const needsEscape = /[\\"\n]/;

function escapeLabel(value: string): string {
  if (!needsEscape.test(value)) return value;
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

export function renderLabels(names: readonly string[], labels: Record<string, string>): string {
  let text = '';
  for (let index = 0; index < names.length; index += 1) {
    const name = names[index] as string;
    text += `${index > 0 ? ',' : ''}${name}="${escapeLabel(labels[name] ?? '')}"`;
  }
  return text;
}

/** The label text of a request series. */
export function requestLabelText(labels: RequestLabels): string {
  return renderLabels(requestLabelNames, labels);
}

/** The label text of a TCP series made from the request labels (protocol `tcp`, code `0`). */
export function tcpLabelText(labels: RequestLabels): string {
  return renderLabels(tcpLabelNames, { ...labels, response_code: '0' });
}

const inclusionCache = new Map<string, RegExp[]>();
const noInclusions: RegExp[] = [];

/**
 * Which Envoy stats a proxy emits beyond the defaults (`proxyStatsMatcher.inclusionRegexps`).
 * Compiled once per annotation text: the same array comes back for the same annotation.
 */
export function statsInclusions(pod: MeshPod): RegExp[] {
  const annotation = pod.object.metadata.annotations?.['proxy.istio.io/config'];
  if (!annotation) return noInclusions;
  let inclusions = inclusionCache.get(annotation);
  if (!inclusions) {
    inclusions = parseInclusions(annotation);
    // Annotations come from a handful of templates; a cluster rewriting them endlessly is not a
    // reason to grow without bound.
    if (inclusionCache.size >= 1000) inclusionCache.clear();
    inclusionCache.set(annotation, inclusions);
  }
  return inclusions;
}

function parseInclusions(annotation: string): RegExp[] {
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
    return noInclusions;
  }
}

type ClusterStatName = [string, string, 'gauge' | 'counter', (stats: ClusterStats) => number];

const clusterStatFamilies: ClusterStatName[] = [
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

interface ClusterEntry extends EncodedLabels {
  stats: ClusterStats;
  /** bit i: clusterStatFamilies[i] is included, for `maskFor` */
  mask: number;
  maskFor: RegExp[] | undefined;
}

/** One pod's sidecar series. */
export class SidecarMetrics {
  private readonly requests = new Map<string, RequestSeries>();
  private readonly tcp = new Map<string, TcpSeries>();
  private readonly clusterEntries = new Map<string, ClusterEntry>();
  /** `namespace="…",pod="…",`: what the mesh-wide scrape puts first on each series */
  private readonly podLabels: string;
  private readonly podLabelBytes: number;

  constructor(pod: { namespace: string; name: string } = { namespace: '', name: '' }) {
    this.podLabels = `namespace="${pod.namespace}",pod="${pod.name}",`;
    this.podLabelBytes = Buffer.byteLength(this.podLabels, 'utf8');
  }

  /** The request series with this label text (see requestLabelText), created empty if new. */
  requestSeries(labels: string): RequestSeries {
    let series = this.requests.get(labels);
    if (!series) {
      series = {
        labels,
        withPod: undefined,
        alone: undefined,
        requests: 0,
        duration: new Histogram(durationBuckets),
        requestBytes: new Histogram(sizeBuckets),
        responseBytes: new Histogram(sizeBuckets),
      };
      this.requests.set(labels, series);
    }
    return series;
  }

  /** The TCP series with this label text (see tcpLabelText), created empty if new. */
  tcpSeries(labels: string): TcpSeries {
    let series = this.tcp.get(labels);
    if (!series) {
      series = { labels, withPod: undefined, alone: undefined, sent: 0, received: 0, opened: 0, closed: 0 };
      this.tcp.set(labels, series);
    }
    return series;
  }

  recordRequest(
    labels: RequestLabels | string,
    durationMs: number,
    requestBytes: number,
    responseBytes: number,
  ): void {
    observeRequest(
      this.requestSeries(typeof labels === 'string' ? labels : requestLabelText(labels)),
      durationMs,
      requestBytes,
      responseBytes,
    );
  }

  /** `sentBytes`: server to client (the response direction); `receivedBytes`: client to server. */
  recordTcp(labels: RequestLabels | string, sentBytes: number, receivedBytes: number): void {
    observeTcp(
      this.tcpSeries(typeof labels === 'string' ? labels : tcpLabelText(labels)),
      sentBytes,
      receivedBytes,
    );
  }

  cluster(name: string): ClusterStats {
    let entry = this.clusterEntries.get(name);
    if (!entry) {
      entry = {
        stats: {
          ejectionsActive: 0,
          ejectionsEnforced: 0,
          ejectionsConsecutive5xx: 0,
          pendingOverflow: 0,
          connectionOverflow: 0,
          requests: 0,
        },
        labels: `cluster_name="${escapeLabel(name)}"`,
        withPod: undefined,
        alone: undefined,
        mask: 0,
        maskFor: undefined,
      };
      this.clusterEntries.set(name, entry);
    }
    return entry.stats;
  }

  /** Prometheus text exposition of this sidecar alone (no `namespace` and `pod` labels), as Envoy serves it. */
  render(inclusions: RegExp[]): string {
    const chunks: Buffer[] = [];
    const writer = new ExpositionWriter((chunk) => chunks.push(chunk));
    for (let family = 0; family < familyCount; family += 1) {
      let typed = false;
      const typeLine = () => {
        if (!typed) writer.typeLine(family);
        typed = true;
      };
      this.writeFamily(writer, family, false, inclusions, typeLine);
    }
    writer.flush();
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * Write this sidecar's series of one family (see `familyCount`); `typeLine` is called before the
   * first series line, so the caller can write the family's TYPE line once across many sidecars.
   */
  writeFamily(
    writer: ExpositionWriter,
    family: number,
    withPodLabels: boolean,
    inclusions: RegExp[],
    typeLine: () => void,
  ): void {
    const labelBytes = (series: EncodedLabels): Buffer => {
      if (!series.withPod) {
        series.withPod = Buffer.from(this.podLabels + series.labels, 'utf8');
        series.alone = series.withPod.subarray(this.podLabelBytes);
      }
      return withPodLabels ? series.withPod : (series.alone as Buffer);
    };
    if (family < tcpFamilyStart) {
      if (this.requests.size === 0) return;
      typeLine();
      if (family === 0) {
        const name = requestsTotal;
        for (const series of this.requests.values())
          writer.line(name, labelBytes(series), closeBrace, series.requests);
        return;
      }
      const histogram = histogramFamilies[family - 1] as HistogramFamily;
      for (const series of this.requests.values()) {
        const values = histogram.pick(series);
        const labels = labelBytes(series);
        const counts = values.counts;
        let cumulative = 0;
        for (let index = 0; index < counts.length; index += 1) {
          cumulative += counts[index] ?? 0;
          writer.line(histogram.bucket, labels, histogram.bounds[index] as Buffer, cumulative);
        }
        writer.line(histogram.bucket, labels, infBound, values.count);
        writer.line(histogram.sum, labels, closeBrace, values.sum);
        writer.line(histogram.count, labels, closeBrace, values.count);
      }
      return;
    }
    if (family < clusterFamilyStart) {
      if (this.tcp.size === 0) return;
      typeLine();
      const counter = tcpFamilies[family - tcpFamilyStart] as TcpFamily;
      for (const series of this.tcp.values())
        writer.line(counter.name, labelBytes(series), closeBrace, counter.value(series));
      return;
    }
    if (inclusions.length === 0 || this.clusterEntries.size === 0) return;
    const index = family - clusterFamilyStart;
    const bit = 1 << index;
    const value = (clusterStatFamilies[index] as ClusterStatName)[3];
    const name = clusterFamilyNames[index] as Buffer;
    for (const [cluster, entry] of this.clusterEntries) {
      if (entry.maskFor !== inclusions) {
        entry.mask = inclusionMask(cluster, inclusions);
        entry.maskFor = inclusions;
      }
      if ((entry.mask & bit) === 0) continue;
      typeLine();
      writer.line(name, labelBytes(entry), closeBrace, value(entry.stats));
    }
  }
}

export function observeRequest(
  series: RequestSeries,
  durationMs: number,
  requestBytes: number,
  responseBytes: number,
): void {
  series.requests += 1;
  series.duration.observe(durationMs);
  series.requestBytes.observe(requestBytes);
  series.responseBytes.observe(responseBytes);
}

export function observeTcp(series: TcpSeries, sentBytes: number, receivedBytes: number): void {
  series.opened += 1;
  series.closed += 1;
  series.sent += sentBytes;
  series.received += receivedBytes;
}

function inclusionMask(cluster: string, inclusions: RegExp[]): number {
  let mask = 0;
  clusterStatFamilies.forEach(([statName], index) => {
    const stat = `cluster.${cluster}.${statName}`;
    if (inclusions.some((pattern) => pattern.test(stat))) mask |= 1 << index;
  });
  return mask;
}

const ascii = (text: string) => Buffer.from(text, 'latin1');

interface HistogramFamily {
  name: string;
  bucket: Buffer;
  sum: Buffer;
  count: Buffer;
  /** `,le="BOUND"} ` per bucket */
  bounds: Buffer[];
  pick: (series: RequestSeries) => Histogram;
}

interface TcpFamily {
  name: Buffer;
  family: string;
  value: (series: TcpSeries) => number;
}

const requestsTotal = ascii('istio_requests_total{');
const closeBrace = ascii('} ');
const infBound = ascii(',le="+Inf"} ');

function histogramFamily(
  name: string,
  bounds: number[],
  pick: (series: RequestSeries) => Histogram,
): HistogramFamily {
  return {
    name,
    bucket: ascii(`${name}_bucket{`),
    sum: ascii(`${name}_sum{`),
    count: ascii(`${name}_count{`),
    bounds: bounds.map((bound) => ascii(`,le="${bound}"} `)),
    pick,
  };
}

const histogramFamilies: HistogramFamily[] = [
  histogramFamily('istio_request_duration_milliseconds', durationBuckets, (series) => series.duration),
  histogramFamily('istio_request_bytes', sizeBuckets, (series) => series.requestBytes),
  histogramFamily('istio_response_bytes', sizeBuckets, (series) => series.responseBytes),
];

const tcpFamilies: TcpFamily[] = (
  [
    ['istio_tcp_sent_bytes_total', (series) => series.sent],
    ['istio_tcp_received_bytes_total', (series) => series.received],
    ['istio_tcp_connections_opened_total', (series) => series.opened],
    ['istio_tcp_connections_closed_total', (series) => series.closed],
  ] as [string, (series: TcpSeries) => number][]
).map(([family, value]) => ({ name: ascii(`${family}{`), family, value }));

const clusterFamilyNames = clusterStatFamilies.map(([, metricName]) => ascii(`${metricName}{`));

const tcpFamilyStart = 1 + histogramFamilies.length;
const clusterFamilyStart = tcpFamilyStart + tcpFamilies.length;
/** Metric families in exposition order: requests, 3 histograms, 4 TCP counters, 6 cluster stats. */
export const familyCount = clusterFamilyStart + clusterStatFamilies.length;

const typeLines: Buffer[] = [
  ascii('# TYPE istio_requests_total counter\n'),
  ...histogramFamilies.map((family) => ascii(`# TYPE ${family.name} histogram\n`)),
  ...tcpFamilies.map((family) => ascii(`# TYPE ${family.family} counter\n`)),
  ...clusterStatFamilies.map(([, metricName, type]) => ascii(`# TYPE ${metricName} ${type}\n`)),
];

/** Digits of 0..9 as bytes. */
const zero = 48;

/**
 * Buffers for scrape chunks, handed back once sent: a 500 MB scrape then reuses a few buffers
 * instead of faulting in 500 MB of fresh memory (and leaving it to the garbage collector).
 */
export class ChunkPool {
  private readonly free: ArrayBuffer[] = [];

  constructor(
    readonly chunkSize = 64 * 1024,
    /** buffers kept for reuse at most */
    private readonly keep = 64,
  ) {}

  take(): Buffer {
    const free = this.free.pop();
    return free ? Buffer.from(free) : Buffer.allocUnsafeSlow(this.chunkSize);
  }

  /** Hand back a chunk from take() (or a view into one) that nothing reads any more. */
  give(chunk: Uint8Array): void {
    const memory = chunk.buffer;
    if (memory instanceof ArrayBuffer && memory.byteLength === this.chunkSize && this.free.length < this.keep)
      this.free.push(memory);
  }
}

/**
 * Prometheus text written into fixed-size buffers: each full buffer goes to `emit` (which may
 * keep it: the next one comes from the pool, or is new), the last one on flush().
 */
export class ExpositionWriter {
  private buffer: Buffer;
  private used = 0;

  constructor(
    private readonly emit: (chunk: Buffer) => void,
    private readonly pool = new ChunkPool(),
  ) {
    this.buffer = pool.take();
  }

  typeLine(family: number): void {
    const line = typeLines[family] as Buffer;
    this.reserve(line.length);
    this.buffer.set(line, this.used);
    this.used += line.length;
  }

  /** `NAME{` + labels + suffix (`} ` or `,le="…"} `) + value + newline */
  line(name: Uint8Array, labels: Uint8Array, suffix: Uint8Array, value: number): void {
    const buffer = this.reserve(name.length + labels.length + suffix.length + 26);
    let used = this.used;
    buffer.set(name, used);
    used += name.length;
    buffer.set(labels, used);
    used += labels.length;
    for (let index = 0; index < suffix.length; index += 1) buffer[used++] = suffix[index] as number;
    if (Number.isSafeInteger(value) && value >= 0) {
      // The digits of a non-negative integer, as String(value) writes them.
      if (value < 10) {
        buffer[used++] = zero + value;
      } else {
        let digits = 0;
        for (let rest = value; rest >= 1; rest = Math.floor(rest / 10)) digits += 1;
        let position = used + digits - 1;
        for (let rest = value; rest >= 1; rest = Math.floor(rest / 10))
          buffer[position--] = zero + (rest % 10);
        used += digits;
      }
    } else {
      used += buffer.write(String(value), used, 'latin1');
    }
    buffer[used++] = 10;
    this.used = used;
  }

  flush(): void {
    if (this.used === 0) return;
    this.emit(this.buffer.subarray(0, this.used));
    this.buffer = this.pool.take();
    this.used = 0;
  }

  /** Room for `bytes` more: emits the current buffer first when it lacks the room. */
  private reserve(bytes: number): Buffer {
    if (this.used + bytes > this.buffer.length) {
      this.flush();
      if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
    }
    return this.buffer;
  }
}
