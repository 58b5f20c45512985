/**
 * Response-time percentiles for the graph, computed where the data is (Prometheus'
 * `histogram_quantile`) instead of shipping every histogram bucket: at 1,000 services the bucket
 * answer is ~25k series and ~14 MB of JSON.
 *
 * Percentiles cannot be added up as buckets can, so each series must describe exactly one graph
 * edge. As Kiali does, the buckets are summed per hop of the graph, by the labels that name the
 * hop's two nodes in the requested graph type (`groupingFields`): with service nodes, caller ->
 * service (the caller's identity and the service) and service -> callee (the service and the
 * callee's identity); without, caller -> callee. The graph checks each edge against the requests
 * behind it (lib/graph/response-time.ts) and asks for the buckets of the few edges no single
 * series describes (grouping that cannot follow the graph's rules: the service graph's
 * service -> service edges, ServiceEntries with several hosts, callers Istio could not name).
 * Sources with histograms (direct scrapes) keep them, and the graph computes from those.
 */
import type { GraphType } from '../types/graph';
import type { EdgeKey, TelemetryQuery, TelemetrySnapshot } from '../types/telemetry';

/** The percentiles the graph shows, as PromQL `histogram_quantile` arguments. */
export const responseTimeQuantiles = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;

export type Percentile = keyof typeof responseTimeQuantiles;

export interface Percentiles {
  /** milliseconds */
  p50: number;
  /** milliseconds */
  p95: number;
  /** milliseconds */
  p99: number;
}

/**
 * Which hop of the graph a percentile series describes: `caller` (caller -> service node),
 * `callee` (service node -> callee), `edge` (one whole telemetry edge: caller -> callee).
 */
export type ResponseTimeHop = 'caller' | 'callee' | 'edge';

/** The value of an edge-key field a series was not grouped by (never a real label value). */
export const ungrouped = '*';

/**
 * Response-time percentiles of one group of series: the edge key holds the grouped labels and
 * `ungrouped` in the others, so the graph places it on its hop's edge like any sample.
 */
export interface ResponseTimeSample extends EdgeKey, Percentiles {
  hop: ResponseTimeHop;
  /** `groupKeyOf(groupingFields(graphType, hop), key)`: the grouped labels' values */
  group: string;
}

/** How a snapshot carries response times: bucket histograms (exact merges) or percentiles. */
export type ResponseTimeForm = 'histograms' | 'percentiles';

/** The graph percentiles are grouped for: its type and whether it has service nodes. */
export interface ResponseTimeGraph {
  graphType: GraphType;
  injectServiceNodes: boolean;
}

/**
 * A telemetry query that may ask for percentiles instead of histograms. A source that only has
 * histograms (direct scrapes) answers with histograms whatever is asked.
 */
export interface GraphTelemetryQuery extends TelemetryQuery {
  /** default `histograms` */
  responseTimes?: ResponseTimeForm;
  /** the graph the percentiles are for (default: per telemetry edge, `edge` hop only) */
  responseTimeGraph?: ResponseTimeGraph;
}

/** A snapshot with, when asked for and the source can, percentiles per hop (`durations` then empty). */
export interface GraphTelemetrySnapshot extends TelemetrySnapshot {
  responseTimes?: ResponseTimeSample[];
}

/** One field of an edge key and the Istio label it comes from. */
interface EdgeField {
  label: string;
  read(key: EdgeKey): string;
  write(key: EdgeKey, value: string): void;
}

function peerField(side: 'source' | 'destination', part: 'namespace' | 'workload' | 'app' | 'version') {
  const labels = {
    namespace: 'workload_namespace',
    workload: 'workload',
    app: 'canonical_service',
    version: 'canonical_revision',
  };
  return {
    label: `${side}_${labels[part]}`,
    read: (key: EdgeKey) => key[side][part],
    write: (key: EdgeKey, value: string) => {
      key[side][part] = value;
    },
  };
}

function serviceField(part: 'fqdn' | 'name' | 'namespace', label: string): EdgeField {
  return {
    label,
    read: (key) => key.service[part],
    write: (key, value) => {
      key.service[part] = value;
    },
  };
}

const serviceFields = [
  serviceField('fqdn', 'destination_service'),
  serviceField('name', 'destination_service_name'),
  serviceField('namespace', 'destination_service_namespace'),
];

/** The fields naming a peer's node in a graph type (the service graph starts as a workload graph). */
function peerFields(side: 'source' | 'destination', graphType: GraphType): EdgeField[] {
  const namespace = peerField(side, 'namespace');
  if (graphType === 'app') return [namespace, peerField(side, 'app')];
  if (graphType === 'versionedApp') return [namespace, peerField(side, 'app'), peerField(side, 'version')];
  return [namespace, peerField(side, 'workload')];
}

const allFields = [
  ...(['namespace', 'workload', 'app', 'version'] as const).map((part) => peerField('source', part)),
  ...(['namespace', 'workload', 'app', 'version'] as const).map((part) => peerField('destination', part)),
  ...serviceFields,
];

const groupings = new Map<string, readonly EdgeField[]>();

/** The edge-key fields a hop's series are grouped by, for a graph type (the same objects each call). */
export function groupingFields(graphType: GraphType, hop: ResponseTimeHop): readonly EdgeField[] {
  const id = `${graphType}/${hop}`;
  let fields = groupings.get(id);
  if (!fields) {
    fields =
      hop === 'caller'
        ? [...peerFields('source', graphType), ...serviceFields]
        : hop === 'callee'
          ? [...serviceFields, ...peerFields('destination', graphType)]
          : allFields;
    groupings.set(id, fields);
  }
  return fields;
}

/** The hops whose series a graph's edges need. */
export function responseTimeHops(graph: ResponseTimeGraph | undefined): ResponseTimeHop[] {
  return graph?.injectServiceNodes || graph?.graphType === 'service' ? ['caller', 'callee'] : ['edge'];
}

/** The Prometheus labels of a grouping, for `sum by (...)`. */
export function groupingLabels(fields: readonly EdgeField[]): string[] {
  return fields.map((field) => field.label);
}

/** The grouped fields' values of an edge key, as one string. */
export function groupKeyOf(fields: readonly EdgeField[], key: EdgeKey): string {
  let group = fields[0]?.read(key) ?? '';
  for (let index = 1; index < fields.length; index += 1) group += `\u0000${fields[index]?.read(key)}`;
  return group;
}

/** An edge key with the grouped fields from `read(label)` and `ungrouped` in the rest. */
export function groupedEdgeKey(fields: readonly EdgeField[], read: (label: string) => string): EdgeKey {
  const peer = () => ({ namespace: ungrouped, workload: ungrouped, app: ungrouped, version: ungrouped });
  const key: EdgeKey = {
    source: peer(),
    destination: peer(),
    service: { fqdn: ungrouped, name: ungrouped, namespace: ungrouped },
  };
  for (const field of fields) field.write(key, read(field.label));
  return key;
}

/** A full edge key reduced to a grouping: its grouped fields, `ungrouped` in the rest. */
export function projectedEdgeKey(fields: readonly EdgeField[], key: EdgeKey): EdgeKey {
  const byLabel = new Map(fields.map((field) => [field.label, field.read(key)]));
  return groupedEdgeKey(fields, (label) => byLabel.get(label) ?? ungrouped);
}
