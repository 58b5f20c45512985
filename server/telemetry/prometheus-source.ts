import 'server-only';
import {
  partDurationsQuery,
  responseTimeQueries,
  seriesFromAnswer,
  type TelemetryConcern,
  telemetryQueries,
  type VectorElement,
} from '@/lib/telemetry/promql';
import { everyReporterScope } from '@/lib/telemetry/reporters';
import type { GraphTelemetryQuery, GraphTelemetrySnapshot, Percentile } from '@/lib/telemetry/response-times';
import { buildSamples, edgeIdOf, responseTimeSamples } from '@/lib/telemetry/samples';
import type { RateSeries } from '@/lib/telemetry/series';
import type { DurationSample, EdgeKey, TelemetryQuery, TelemetryWarning } from '@/lib/types/telemetry';
import { AppError } from '../errors';
import { logger } from '../logger';
import { type Clock, systemClock } from './clock';
import type { PrometheusClient, QueryAnswer } from './prometheus-client';
import { checkedQuery } from './query';
import type { TelemetrySource, TelemetrySourceDescription } from './source';

export interface PrometheusTelemetryOptions {
  /** deadline of one query in milliseconds (default 10 s) */
  timeoutMs?: number;
  clock?: Clock;
}

/** One query a snapshot sent, for benchmarks and the health page. */
export interface QueryRecord {
  concern: string;
  promql: string;
  /** round trip in milliseconds */
  durationMs: number;
  /** answer size; undefined where the transport does not tell */
  bytes: number | undefined;
  /** elements in the answer vector */
  series: number;
}

export interface PrometheusSnapshot {
  snapshot: GraphTelemetrySnapshot;
  /** every query sent for this snapshot */
  queries: QueryRecord[];
}

function record(concern: string, promql: string, answer: QueryAnswer): QueryRecord {
  return {
    concern,
    promql,
    durationMs: answer.durationMs,
    bytes: answer.bytes,
    series: answer.vector.length,
  };
}

/**
 * One snapshot from Prometheus: instant queries at the same instant, for all namespaces at once:
 * requests, throughput, and response times as duration buckets per edge or, when the query asks
 * for `percentiles`, as p50/p95/p99 per hop of the graph computed by Prometheus (three queries). A failed request query fails the snapshot; a failed duration, percentile or
 * throughput query leaves a warning and those samples empty.
 */
export async function queryPrometheusTelemetry(
  client: PrometheusClient,
  query: GraphTelemetryQuery,
  timeMs: number,
): Promise<PrometheusSnapshot> {
  const { namespaces, windowSeconds } = checkedQuery(query);
  const timestamp = new Date(timeMs).toISOString();
  const empty = { source: 'prometheus' as const, timestamp, windowSeconds, warnings: [] };
  if (namespaces.length === 0)
    return { snapshot: { ...empty, requests: [], durations: [], throughput: [] }, queries: [] };

  const percentiles = query.responseTimes === 'percentiles';
  const { requests, durations, throughput } = telemetryQueries(namespaces, windowSeconds);
  const texts: Record<string, string> = percentiles
    ? { requests, throughput, ...responseTimeQueries(namespaces, windowSeconds, query.responseTimeGraph) }
    : { requests, durations, throughput };
  const concerns = Object.keys(texts);
  const answers = await Promise.allSettled(
    concerns.map((concern) => client.query(texts[concern] as string, timeMs / 1000)),
  );
  const series: RateSeries[] = [];
  const percentileAnswers: Record<Percentile, VectorElement[]> = { p50: [], p95: [], p99: [] };
  const queries: QueryRecord[] = [];
  const warnings: TelemetryWarning[] = [];
  answers.forEach((answer, index) => {
    const concern = concerns[index] as string;
    if (answer.status === 'rejected') {
      if (concern === 'requests') throw answer.reason;
      const message = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
      warnings.push({ source: 'prometheus', message: `no ${concern}: ${message}` });
      return;
    }
    queries.push(record(concern, texts[concern] as string, answer.value));
    if (concern === 'p50' || concern === 'p95' || concern === 'p99')
      percentileAnswers[concern] = answer.value.vector;
    else series.push(...seriesFromAnswer(concern as TelemetryConcern, answer.value.vector));
    for (const warning of answer.value.warnings) warnings.push({ source: 'prometheus', message: warning });
  });
  const scope = everyReporterScope(namespaces);
  const samples = buildSamples(series, scope);
  const snapshot: GraphTelemetrySnapshot = { ...empty, ...samples, warnings };
  if (percentiles)
    snapshot.responseTimes = responseTimeSamples(
      percentileAnswers,
      query.responseTimeGraph?.graphType ?? 'workload',
    );
  return { snapshot, queries };
}

/**
 * The duration histograms of some telemetry edges (one query, narrowed to their services and
 * callers): what a graph edge merging several edges' percentiles needs to be exact.
 */
export async function queryPartDurations(
  client: PrometheusClient,
  query: TelemetryQuery,
  parts: readonly EdgeKey[],
  timeMs: number,
): Promise<{ durations: DurationSample[]; queries: QueryRecord[] }> {
  const { namespaces, windowSeconds } = checkedQuery(query);
  if (namespaces.length === 0 || parts.length === 0) return { durations: [], queries: [] };
  const promql = partDurationsQuery(namespaces, windowSeconds, parts);
  const answer = await client.query(promql, timeMs / 1000);
  const wanted = new Set(parts.map(edgeIdOf));
  const { durations } = buildSamples(
    seriesFromAnswer('durations', answer.vector),
    everyReporterScope(namespaces),
  );
  return {
    durations: durations.filter((sample) => wanted.has(edgeIdOf(sample))),
    queries: [record('partDurations', promql, answer)],
  };
}

/** Telemetry from Prometheus: one query per concern per snapshot, whatever the namespace count. */
export class PrometheusTelemetrySource implements TelemetrySource {
  readonly name = 'prometheus' as const;
  private readonly clock: Clock;
  private lastError: string | undefined;
  private lastSuccess: number | undefined;
  private lastQueries: QueryRecord[] = [];

  constructor(
    private readonly client: PrometheusClient,
    options: PrometheusTelemetryOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  describe(): TelemetrySourceDescription {
    return {
      name: this.name,
      target: this.client.target,
      healthy: this.lastError === undefined,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.lastSuccess !== undefined ? { lastSuccess: new Date(this.lastSuccess).toISOString() } : {}),
    };
  }

  /** The queries the last successful snapshot sent: how many, how long, how large. */
  queriesOfLastSnapshot(): readonly QueryRecord[] {
    return this.lastQueries;
  }

  async snapshot(query: GraphTelemetryQuery): Promise<GraphTelemetrySnapshot> {
    try {
      const result = await queryPrometheusTelemetry(this.client, query, this.clock.now());
      this.lastError = undefined;
      this.lastSuccess = this.clock.now();
      this.lastQueries = result.queries;
      return result.snapshot;
    } catch (error) {
      if (error instanceof AppError && error.code === 'unavailable:prometheus') {
        this.lastError = error.message;
        logger.warn({ err: error }, 'telemetry snapshot from Prometheus failed');
      }
      throw error;
    }
  }

  async partDurations(
    query: TelemetryQuery,
    parts: readonly EdgeKey[],
    timeMs: number,
  ): Promise<DurationSample[]> {
    // At the snapshot's instant: the same rates as its percentiles, whatever was scraped since.
    const result = await queryPartDurations(this.client, query, parts, timeMs);
    this.lastQueries = [...this.lastQueries, ...result.queries];
    return result.durations;
  }

  close(): void {
    // Nothing runs in the background: queries happen on demand.
  }
}
