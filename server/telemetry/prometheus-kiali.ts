import 'server-only';
import { kialiShapedQueries } from '@/lib/telemetry/promql';
import { aggregateSamples } from '@/lib/telemetry/samples';
import type { RateSeries } from '@/lib/telemetry/series';
import type { TelemetryQuery } from '@/lib/types/telemetry';
import type { PrometheusClient } from './prometheus-client';
import type { PrometheusSnapshot, QueryRecord } from './prometheus-source';
import { checkedQuery } from './query';

/**
 * The anchor for benchmarks (bench/ only): the request part of a graph as Kiali queries it —
 * three queries per namespace, 17-label `by`, one after another as Kiali's namespace loop runs
 * them — turned into the same snapshot shape. Durations and throughput are left out (Kiali runs
 * further per-namespace appender queries for them), so the anchor flatters Kiali.
 */
export async function queryKialiShapedTelemetry(
  client: PrometheusClient,
  query: TelemetryQuery,
  timeMs: number,
): Promise<PrometheusSnapshot> {
  const { namespaces, windowSeconds } = checkedQuery(query);
  const queries: QueryRecord[] = [];
  const series: RateSeries[] = [];
  // Kiali merges per-namespace maps; the same series seen from two namespaces counts once.
  const seen = new Set<string>();
  for (const shaped of kialiShapedQueries(namespaces, windowSeconds)) {
    const answer = await client.query(shaped.promql, timeMs / 1000);
    queries.push({
      concern: `requests:${shaped.namespace}`,
      promql: shaped.promql,
      durationMs: answer.durationMs,
      bytes: answer.bytes,
      series: answer.vector.length,
    });
    for (const { labels, value } of answer.vector) {
      const withReporter = { ...labels, reporter: shaped.reporter };
      const key = JSON.stringify(withReporter);
      if (seen.has(key)) continue;
      seen.add(key);
      series.push({ metric: 'requests', labels: withReporter, rate: value });
    }
  }
  // Kiali keeps what its queries returned, whichever side reported it.
  const samples = aggregateSamples(series);
  return {
    snapshot: {
      source: 'prometheus',
      timestamp: new Date(timeMs).toISOString(),
      windowSeconds,
      ...samples,
      warnings: [],
    },
    queries,
  };
}
