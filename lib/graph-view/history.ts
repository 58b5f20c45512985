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

export type GraphHistory = ReadonlyMap<string, readonly HistorySample[]>;

export interface HistoryLimits {
  /** samples kept per id */
  maxSamples: number;
  /** milliseconds of history kept, counted back from the newest graph */
  maxAgeMs: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxSamples: 120, maxAgeMs: 15 * 60_000 };

function samplesOf(graph: GraphResponse, t: number): Map<string, HistorySample> {
  const samples = new Map<string, HistorySample>();
  for (const node of graph.nodes) {
    if (node.isBox) continue;
    const { traffic } = node;
    const sendsOnly = traffic.inboundRps === 0 && traffic.outboundRps > 0;
    samples.set(node.id, {
      t,
      rps: sendsOnly ? traffic.outboundRps : traffic.inboundRps,
      errorRate: sendsOnly ? traffic.outboundErrorRate : traffic.inboundErrorRate,
      p95: null,
    });
  }
  for (const edge of graph.edges) {
    samples.set(edge.id, {
      t,
      rps: edge.rps,
      errorRate: edge.errorRate,
      p95: edge.responseTime?.p95 ?? null,
    });
  }
  return samples;
}

/**
 * The history with one more graph in it. A graph already recorded (same timestamp) changes
 * nothing; samples older than the limits fall off, and ids with no sample left are forgotten.
 */
export function appendToHistory(
  history: GraphHistory,
  graph: GraphResponse,
  limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
): GraphHistory {
  const t = Date.parse(graph.timestamp);
  if (!Number.isFinite(t)) return history;
  const oldest = t - limits.maxAgeMs;
  const fresh = samplesOf(graph, t);
  const next = new Map<string, readonly HistorySample[]>();
  const ids = new Set([...history.keys(), ...fresh.keys()]);
  for (const id of ids) {
    const previous = (history.get(id) ?? []).filter((sample) => sample.t >= oldest && sample.t < t);
    const sample = fresh.get(id);
    const kept = sample ? [...previous, sample] : previous;
    if (kept.length > 0) next.set(id, kept.slice(-limits.maxSamples));
  }
  return next;
}
