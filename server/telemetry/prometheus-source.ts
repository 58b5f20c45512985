import 'server-only';
import { seriesFromAnswer, type TelemetryConcern, telemetryQueries } from '@/lib/telemetry/promql';
import { everyReporterScope } from '@/lib/telemetry/reporters';
import { buildSamples } from '@/lib/telemetry/samples';
import type { RateSeries } from '@/lib/telemetry/series';
import type { TelemetryQuery, TelemetrySnapshot, TelemetryWarning } from '@/lib/types/telemetry';
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
  snapshot: TelemetrySnapshot;
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
 * One snapshot from Prometheus: three instant queries (requests, duration buckets, throughput)
 * at the same instant, for all namespaces at once. A failed request query fails the snapshot;
 * a failed duration or throughput query leaves a warning and those samples empty.
 */
export async function queryPrometheusTelemetry(
  client: PrometheusClient,
  query: TelemetryQuery,
  timeMs: number,
): Promise<PrometheusSnapshot> {
  const { namespaces, windowSeconds } = checkedQuery(query);
  const timestamp = new Date(timeMs).toISOString();
  const empty = { source: 'prometheus' as const, timestamp, windowSeconds, warnings: [] };
  if (namespaces.length === 0)
    return { snapshot: { ...empty, requests: [], durations: [], throughput: [] }, queries: [] };

  const texts = telemetryQueries(namespaces, windowSeconds);
  const concerns = Object.keys(texts) as TelemetryConcern[];
  const answers = await Promise.allSettled(
    concerns.map((concern) => client.query(texts[concern], timeMs / 1000)),
  );
  const series: RateSeries[] = [];
  const queries: QueryRecord[] = [];
  const warnings: TelemetryWarning[] = [];
  answers.forEach((answer, index) => {
    const concern = concerns[index] as TelemetryConcern;
    if (answer.status === 'rejected') {
      if (concern === 'requests') throw answer.reason;
      const message = answer.reason instanceof Error ? answer.reason.message : String(answer.reason);
      warnings.push({ source: 'prometheus', message: `no ${concern}: ${message}` });
      return;
    }
    queries.push(record(concern, texts[concern], answer.value));
    series.push(...seriesFromAnswer(concern, answer.value.vector));
    for (const warning of answer.value.warnings) warnings.push({ source: 'prometheus', message: warning });
  });
  const samples = buildSamples(series, everyReporterScope(namespaces));
  return { snapshot: { ...empty, ...samples, warnings }, queries };
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

  async snapshot(query: TelemetryQuery): Promise<TelemetrySnapshot> {
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

  close(): void {
    // Nothing runs in the background: queries happen on demand.
  }
}
