/**
 * Step (d), response-time percentiles per edge, in milliseconds; null when the edge has none.
 *
 * - From request-duration histograms (direct scrapes, or Prometheus when asked for them): the
 *   histograms behind the edge summed bucket by bucket (what `sum by (le)` does), then p50/p95/p99
 *   with PromQL's interpolation — lib/telemetry/quantile.ts, the same function the telemetry
 *   layer uses. Exact for merged edges.
 * - From percentiles per hop (Prometheus' `histogram_quantile`, grouped as the graph's edges are:
 *   lib/telemetry/response-times.ts): an edge takes the series that describes exactly its
 *   requests, checked here against the requests themselves so the grouping and the graph's
 *   rules cannot drift apart. Percentiles of several series cannot be combined exactly, so an
 *   edge no single series describes is left null and listed with its telemetry edges
 *   (`responseTimeGaps`): the caller asks for their buckets and fills it in
 *   (`fillResponseTimes`), never an estimate.
 */
import { type Bucket, histogramQuantile } from '../telemetry/quantile';
import {
  groupingFields,
  groupKeyOf,
  type Percentiles,
  type ResponseTimeSample,
} from '../telemetry/response-times';
import { edgeIdOf } from '../telemetry/samples';
import type { GraphType } from '../types/graph';
import type { DurationSample, EdgeKey, RequestSample } from '../types/telemetry';
import type { WorkingEdge, WorkingGraph } from './model';

/** An edge whose percentiles need its parts' buckets: its id and its telemetry edges. */
export interface ResponseTimeGap {
  edgeId: string;
  keys: EdgeKey[];
}

const quantile = (q: number, buckets: readonly Bucket[]) => {
  const value = histogramQuantile(q, buckets);
  return Number.isFinite(value) ? value : null;
};

/** Histograms added bucket by bucket, sorted by bound (what `sum by (le)` gives). */
function sumByBound(histograms: readonly (readonly Bucket[])[]): Bucket[] {
  if (histograms.length === 1) return [...(histograms[0] ?? [])];
  const sums = new Map<number, number>();
  for (const buckets of histograms)
    for (const bucket of buckets) sums.set(bucket.le, (sums.get(bucket.le) ?? 0) + bucket.rate);
  return [...sums].map(([le, rate]) => ({ le, rate })).sort((a, b) => a.le - b.le);
}

/** p50/p95/p99 of the histograms taken together; null when they hold no observation. */
export function histogramPercentiles(histograms: readonly (readonly Bucket[])[]): Percentiles | null {
  const buckets = sumByBound(histograms);
  const p50 = quantile(0.5, buckets);
  const p95 = quantile(0.95, buckets);
  const p99 = quantile(0.99, buckets);
  return p50 === null || p95 === null || p99 === null ? null : { p50, p95, p99 };
}

/** Sums of request rates per hop grouping and group, over every request of the snapshot. */
type GroupRates = Map<readonly unknown[], Map<string, number>>;

function groupRate(
  rates: GroupRates,
  fields: ReturnType<typeof groupingFields>,
  group: string,
  requests: readonly RequestSample[],
): number {
  let byGroup = rates.get(fields);
  if (!byGroup) {
    byGroup = new Map();
    for (const sample of requests) {
      if (!(sample.rate > 0)) continue;
      const id = groupKeyOf(fields, sample);
      byGroup.set(id, (byGroup.get(id) ?? 0) + sample.rate);
    }
    rates.set(fields, byGroup);
  }
  return byGroup.get(group) ?? 0;
}

/**
 * Whether `groupKeyOf(fields, key) === group`, read field by field against the group instead of
 * building the key's string (once per request of every edge).
 */
function inGroup(fields: ReturnType<typeof groupingFields>, key: EdgeKey, group: string): boolean {
  let at = 0;
  for (let index = 0; index < fields.length; index += 1) {
    // As groupKeyOf reads them: a missing first value is empty, a later one `undefined`.
    const value = index === 0 ? (fields[0]?.read(key) ?? '') : `${fields[index]?.read(key)}`;
    if (index > 0) {
      if (group.charCodeAt(at) !== 0) return false;
      at += 1;
    }
    if (!group.startsWith(value, at)) return false;
    at += value.length;
  }
  return at === group.length;
}

/**
 * The one percentile series that describes exactly this edge's requests, if there is one: the
 * only series placed on the edge, every request of the edge in its group, and no request of its
 * group elsewhere (the group's request rate over the whole snapshot is the edge's). Rates are all
 * positive, so equal sums mean equal sets.
 */
function exactSeries(
  edge: WorkingEdge,
  graphType: GraphType,
  requests: readonly RequestSample[],
  rates: GroupRates,
): ResponseTimeSample | undefined {
  const [series] = edge.records.responseTimes;
  if (!series) return undefined;
  for (const other of edge.records.responseTimes)
    if (other.hop !== series.hop || other.group !== series.group) return undefined;
  const fields = groupingFields(graphType, series.hop);
  let total = 0;
  for (const sample of edge.records.requests) {
    if (!inGroup(fields, sample, series.group)) return undefined;
    total += sample.rate;
  }
  const expected = groupRate(rates, fields, series.group, requests);
  return total > 0 && Math.abs(total - expected) <= 1e-9 * expected ? series : undefined;
}

/** The distinct telemetry edges of an edge's requests: whose buckets its percentiles need. */
function telemetryEdgesOf(edge: WorkingEdge): EdgeKey[] {
  const parts = new Map<string, EdgeKey>();
  for (const sample of edge.records.requests) parts.set(edgeIdOf(sample), sample);
  return [...parts.values()];
}

export interface ResponseTimeOptions {
  /** whether the snapshot carries percentiles (`responseTimes`) instead of histograms */
  percentiles: boolean;
  /** every request sample of the snapshot, to check that a series covers exactly one edge */
  requests: readonly RequestSample[];
}

export function responseTimes(
  graph: WorkingGraph,
  options: ResponseTimeOptions = { percentiles: false, requests: [] },
): WorkingGraph {
  const rates: GroupRates = new Map();
  for (const edge of graph.edges) {
    edge.responseTime = null;
    if (edge.records.durations.length > 0) {
      edge.responseTime = histogramPercentiles(edge.records.durations.map((sample) => sample.buckets));
      continue;
    }
    if (!options.percentiles || edge.records.requests.length === 0) continue;
    const series = exactSeries(edge, graph.graphType, options.requests, rates);
    if (series) edge.responseTime = { p50: series.p50, p95: series.p95, p99: series.p99 };
    else edge.responseTimeParts = telemetryEdgesOf(edge);
  }
  return graph;
}

/** The edges `responseTimes` could not fill from percentiles, with the parts to ask buckets for. */
export function responseTimeGaps(graph: WorkingGraph): ResponseTimeGap[] {
  const gaps: ResponseTimeGap[] = [];
  for (const edge of graph.edges)
    if (edge.responseTimeParts) gaps.push({ edgeId: edge.id, keys: edge.responseTimeParts });
  return gaps;
}

/**
 * Exact percentiles of the gaps' edges from their parts' histograms (what the histogram way
 * computes), into `edges` by id; an edge whose parts have no histogram stays null.
 */
export function fillResponseTimes<E extends { id: string; responseTime: Percentiles | null }>(
  edges: readonly E[],
  gaps: readonly ResponseTimeGap[],
  durations: readonly DurationSample[],
): void {
  if (gaps.length === 0) return;
  const histograms = new Map<string, Bucket[][]>();
  for (const sample of durations) {
    const id = edgeIdOf(sample);
    const found = histograms.get(id);
    if (found) found.push(sample.buckets);
    else histograms.set(id, [sample.buckets]);
  }
  const byId = new Map(edges.map((edge) => [edge.id, edge]));
  for (const gap of gaps) {
    const edge = byId.get(gap.edgeId);
    if (!edge) continue;
    const parts = gap.keys.flatMap((key) => histograms.get(edgeIdOf(key)) ?? []);
    edge.responseTime = parts.length > 0 ? histogramPercentiles(parts) : null;
  }
}
