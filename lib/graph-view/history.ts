/**
 * A short in-memory history of each node's and edge's numbers, built from the graph responses the
 * page has already fetched (no extra queries): what the side panel's chart draws.
 */
import type { GraphResponse } from '../types/graph';

export interface HistorySample {
  /** milliseconds since the epoch: when the graph was built */
  t: number;
  /** requests per second (inbound for nodes, unless the node only sends) */
  rps: number;
  /** share of failing requests, 0–1 */
  errorRate: number;
  /** p95 response time in milliseconds, edges only */
  p95: number | null;
}

/** One graph's numbers: for each id its position in `values` (rps, error rate, p95; NaN: none). */
interface Snapshot {
  t: number;
  index: ReadonlyMap<string, number>;
  values: Float64Array;
}

/**
 * The recorded graphs, oldest first, one compact snapshot each: appending a graph costs one pass
 * over its nodes and edges (an index shared with the previous snapshot while the ids stay the
 * same), whatever the length of the history; a series is read for one id when it is drawn.
 */
export interface GraphHistory {
  readonly snapshots: readonly Snapshot[];
}

export const EMPTY_HISTORY: GraphHistory = { snapshots: [] };

export interface HistoryLimits {
  /** samples kept per id */
  maxSamples: number;
  /** milliseconds of history kept, counted back from the newest graph */
  maxAgeMs: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxSamples: 120, maxAgeMs: 15 * 60_000 };

const FIELDS = 3;

function snapshotOf(graph: GraphResponse, t: number, previous: Snapshot | undefined): Snapshot {
  const ids: string[] = [];
  const numbers: number[] = [];
  for (const node of graph.nodes) {
    if (node.isBox) continue;
    const { traffic } = node;
    const sendsOnly = traffic.inboundRps === 0 && traffic.outboundRps > 0;
    ids.push(node.id);
    numbers.push(
      sendsOnly ? traffic.outboundRps : traffic.inboundRps,
      sendsOnly ? traffic.outboundErrorRate : traffic.inboundErrorRate,
      Number.NaN,
    );
  }
  for (const edge of graph.edges) {
    ids.push(edge.id);
    numbers.push(edge.rps, edge.errorRate, edge.responseTime?.p95 ?? Number.NaN);
  }
  const shared =
    previous !== undefined &&
    previous.index.size === ids.length &&
    ids.every((id, position) => previous.index.get(id) === position);
  const index = shared ? previous.index : new Map(ids.map((id, position) => [id, position] as const));
  return { t, index, values: Float64Array.from(numbers) };
}

/**
 * The history with one more graph in it. A graph already recorded (same timestamp or older)
 * changes nothing; graphs older than the limits fall off.
 */
export function appendToHistory(
  history: GraphHistory,
  graph: GraphResponse,
  limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
): GraphHistory {
  const t = Date.parse(graph.timestamp);
  const latest = history.snapshots.at(-1);
  if (!Number.isFinite(t) || (latest !== undefined && latest.t >= t)) return history;
  const oldest = t - limits.maxAgeMs;
  const kept = history.snapshots.filter((snapshot) => snapshot.t >= oldest).slice(-(limits.maxSamples - 1));
  return { snapshots: [...kept, snapshotOf(graph, t, latest)] };
}

/** One node's or edge's samples, oldest first (empty when it was never recorded). */
export function historyOf(history: GraphHistory, id: string): HistorySample[] {
  const samples: HistorySample[] = [];
  for (const { t, index, values } of history.snapshots) {
    const position = index.get(id);
    if (position === undefined) continue;
    const p95 = values[position * FIELDS + 2] ?? Number.NaN;
    samples.push({
      t,
      rps: values[position * FIELDS] ?? 0,
      errorRate: values[position * FIELDS + 1] ?? 0,
      p95: Number.isNaN(p95) ? null : p95,
    });
  }
  return samples;
}
