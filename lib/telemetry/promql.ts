/**
 * The PromQL the Prometheus telemetry source sends: one instant query per concern (requests,
 * request-duration buckets, throughput) for all selected namespaces at once, the namespaces as
 * one regex matcher, grouped only by the labels the samples need. Each query selects the same
 * reports as `isChosenReport` (reporters.ts):
 *
 * - destination-reported, destination in the namespaces (inbound);
 * - destination-reported, source in the namespaces (outbound to sidecars anywhere);
 * - source-reported with no destination workload (no sidecar there, or failed before one), source
 *   in the namespaces or destination service in them.
 *
 * The four selectors are joined with `or` on the rates, before the `sum`; the second of each
 * reporter leaves out what the first selects, so no series is rated or counted twice.
 *
 * Also the Kiali-shaped variant (three queries per namespace, 17-label `by`), for benchmarks.
 */
import type { EdgeKey } from '../types/telemetry';
import {
  groupingFields,
  groupingLabels,
  type Percentile,
  type ResponseTimeGraph,
  responseTimeHops,
  responseTimeQuantiles,
} from './response-times';
import {
  durationLabels,
  httpThroughputLabels,
  metricNames,
  type RateSeries,
  requestLabels,
  type TelemetryMetric,
  tcpThroughputLabels,
  unknown,
} from './series';

export type TelemetryConcern = 'requests' | 'durations' | 'throughput';

/** The label that tags each part of the throughput query's answer with its TelemetryMetric. */
export const metricLabel = 'meshscope_metric';

/** Characters with a meaning in RE2. */
const regexSpecial = /[\\^$.|?*+()[\]{}]/g;

/** A PromQL double-quoted string's content. */
function quoted(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** The value of a `=~` matcher for exactly these namespaces (Prometheus anchors it). */
export function namespaceMatcher(namespaces: readonly string[]): string {
  const alternatives = [...new Set(namespaces)].sort().map((name) => name.replace(regexSpecial, '\\$&'));
  return quoted(alternatives.join('|'));
}

/** `[30s]`: whole seconds, at least one. */
function range(windowSeconds: number): string {
  return `[${Math.max(1, Math.round(windowSeconds))}s]`;
}

/**
 * The union of the chosen reports of one metric, as rates. The second selector of each reporter
 * leaves out what the first selects, so Prometheus rates each series once: with every namespace
 * of a mesh asked for, inbound and outbound overlap almost entirely, and rating both sides doubled
 * its work on the largest query.
 */
function chosenRates(metric: string, namespaces: string, window: string, extra = ''): string {
  const selectors = [
    `reporter="destination",destination_workload_namespace=~"${namespaces}"`,
    `reporter="destination",destination_workload_namespace!~"${namespaces}",source_workload_namespace=~"${namespaces}"`,
    `reporter="source",destination_workload="unknown",source_workload_namespace=~"${namespaces}"`,
    `reporter="source",destination_workload="unknown",source_workload_namespace!~"${namespaces}",destination_service_namespace=~"${namespaces}"`,
  ];
  return selectors.map((selector) => `rate(${metric}{${selector}${extra}}${window})`).join(' or ');
}

function sumBy(labels: readonly string[], expression: string): string {
  return `sum by (${labels.join(',')}) (${expression})`;
}

function tagged(metric: TelemetryMetric, labels: readonly string[], namespaces: string, window: string) {
  const sum = sumBy(labels, chosenRates(metricNames[metric], namespaces, window));
  return `label_replace(${sum} > 0, "${metricLabel}", "${metric}", "", "")`;
}

/** The three queries of one snapshot, by concern. */
export function telemetryQueries(
  namespaces: readonly string[],
  windowSeconds: number,
): Record<TelemetryConcern, string> {
  const matcher = namespaceMatcher(namespaces);
  const window = range(windowSeconds);
  return {
    requests: `${sumBy(requestLabels, chosenRates(metricNames.requests, matcher, window))} > 0`,
    durations: sumBy(durationLabels, chosenRates(metricNames.durationBucket, matcher, window)),
    throughput: [
      tagged('requestBytes', httpThroughputLabels, matcher, window),
      tagged('responseBytes', httpThroughputLabels, matcher, window),
      tagged('tcpSentBytes', tcpThroughputLabels, matcher, window),
      tagged('tcpReceivedBytes', tcpThroughputLabels, matcher, window),
    ].join(' or '),
  };
}

/** The label that tags each part of a percentile query's answer with its ResponseTimeHop. */
export const hopLabel = 'meshscope_hop';

/**
 * The response-time percentiles per hop of the graph, one query per percentile, computed by
 * Prometheus: `histogram_quantile` over the chosen reports' buckets summed by each hop's grouping
 * labels (response-times.ts `groupingFields`), the hops' answers joined with `or` and tagged with
 * `hopLabel`. Groups with no observations (NaN) are left out.
 */
export function responseTimeQueries(
  namespaces: readonly string[],
  windowSeconds: number,
  graph?: ResponseTimeGraph,
): Record<Percentile, string> {
  const rates = chosenRates(metricNames.durationBucket, namespaceMatcher(namespaces), range(windowSeconds));
  const graphType = graph?.graphType ?? 'workload';
  const hops = responseTimeHops(graph).map((hop) => ({
    hop,
    buckets: sumBy([...groupingLabels(groupingFields(graphType, hop)), 'le'], rates),
  }));
  const query = (q: number) =>
    hops
      .map(
        ({ hop, buckets }) =>
          `label_replace(histogram_quantile(${q}, ${buckets}) >= 0, "${hopLabel}", "${hop}", "", "")`,
      )
      .join(' or ');
  return {
    p50: query(responseTimeQuantiles.p50),
    p95: query(responseTimeQuantiles.p95),
    p99: query(responseTimeQuantiles.p99),
  };
}

/** The value of a `=~` matcher for exactly these label values (Prometheus anchors it). */
function valuesMatcher(values: Iterable<string>): string {
  const distinct = new Set(values);
  // Our `unknown` is also what a missing label reads as.
  if (distinct.has(unknown)) distinct.add('');
  return quoted(
    [...distinct]
      .sort()
      .map((value) => value.replace(regexSpecial, '\\$&'))
      .join('|'),
  );
}

/**
 * The duration buckets of some telemetry edges only (graph edges that merge several, whose
 * percentiles only their summed buckets give exactly): the `durations` query narrowed to their
 * services and source workloads. It may return a few edges more (other pairs of those values);
 * the caller keeps the ones it asked for.
 */
export function partDurationsQuery(
  namespaces: readonly string[],
  windowSeconds: number,
  parts: readonly EdgeKey[],
): string {
  const narrowed = `,destination_service=~"${valuesMatcher(parts.map((part) => part.service.fqdn))}",source_workload=~"${valuesMatcher(parts.map((part) => part.source.workload))}"`;
  return sumBy(
    durationLabels,
    chosenRates(metricNames.durationBucket, namespaceMatcher(namespaces), range(windowSeconds), narrowed),
  );
}

/** Kiali's graph `by` clause (source and destination identity, protocol, outcome). */
export const kialiGroupBy = [
  'source_cluster',
  'source_workload_namespace',
  'source_workload',
  'source_canonical_service',
  'source_canonical_revision',
  'destination_cluster',
  'destination_service_namespace',
  'destination_service',
  'destination_service_name',
  'destination_workload_namespace',
  'destination_workload',
  'destination_canonical_service',
  'destination_canonical_revision',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
] as const;

export interface KialiShapedQuery {
  namespace: string;
  reporter: 'source' | 'destination';
  promql: string;
}

/**
 * Kiali's per-namespace request queries for the graph (kiali `graph/telemetry/istio/istio.go`,
 * as summarised in research/kiali.md §2): requests that never reached a workload of the
 * namespace's services, inbound destination-reported, outbound source-reported. Three queries
 * per namespace, each with the 17-label `by`; only for benchmarks against our shape.
 */
export function kialiShapedQueries(namespaces: readonly string[], windowSeconds: number): KialiShapedQuery[] {
  const window = range(windowSeconds);
  const by = kialiGroupBy.join(',');
  return [...new Set(namespaces)].flatMap((name) => {
    const namespace = quoted(name);
    const serviceHost = quoted(`^.+\\.${name.replace(regexSpecial, '\\$&')}\\..+$`);
    return [
      {
        namespace: name,
        reporter: 'source' as const,
        promql: `sum(rate(istio_requests_total{reporter="source",source_workload_namespace!="${namespace}",destination_workload_namespace="unknown",destination_workload="unknown",destination_service=~"${serviceHost}"}${window})) by (${by}) > 0`,
      },
      {
        namespace: name,
        reporter: 'destination' as const,
        promql: `sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="${namespace}"}${window})) by (${by}) > 0`,
      },
      {
        namespace: name,
        reporter: 'source' as const,
        promql: `sum(rate(istio_requests_total{reporter="source",source_workload_namespace="${namespace}"}${window})) by (${by}) > 0`,
      },
    ];
  });
}

/** One element of an instant-vector answer: its labels and value. */
export interface VectorElement {
  labels: Record<string, string>;
  value: number;
}

const throughputMetrics = new Set<string>([
  'requestBytes',
  'responseBytes',
  'tcpSentBytes',
  'tcpReceivedBytes',
]);

/** An answer to one of `telemetryQueries` as rate series. */
export function seriesFromAnswer(concern: TelemetryConcern, vector: readonly VectorElement[]): RateSeries[] {
  const series: RateSeries[] = [];
  for (const { labels, value } of vector) {
    if (concern === 'requests') series.push({ metric: 'requests', labels, rate: value });
    else if (concern === 'durations') series.push({ metric: 'durationBucket', labels, rate: value });
    else {
      const { [metricLabel]: metric, ...rest } = labels;
      if (metric !== undefined && throughputMetrics.has(metric))
        series.push({ metric: metric as TelemetryMetric, labels: rest, rate: value });
    }
  }
  return series;
}
