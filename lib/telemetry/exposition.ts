/**
 * One sidecar's scrape (parsed Prometheus text) reduced to the counters the telemetry layer
 * reads, with only the labels it keeps. Series that differ only in dropped labels (`source_app`,
 * `destination_cluster`, ...) are one proxy's counters and add up.
 */
import type { Sample } from '../prometheus/text-format';
import { keepLabels, metricOfName, type RateSeries, seriesKey, type TelemetryMetric } from './series';

export interface CounterSeries {
  metric: TelemetryMetric;
  labels: Record<string, string>;
}

export interface ScrapedCounters {
  /** raw counter value per series key */
  values: Map<string, number>;
  /** what each key stands for */
  series: Map<string, CounterSeries>;
}

export function readCounters(samples: Iterable<Sample>): ScrapedCounters {
  const values = new Map<string, number>();
  const series = new Map<string, CounterSeries>();
  for (const sample of samples) {
    const metric = metricOfName(sample.name);
    if (!metric || !Number.isFinite(sample.value)) continue;
    const labels = keepLabels(sample.labels);
    const key = seriesKey(metric, labels);
    values.set(key, (values.get(key) ?? 0) + sample.value);
    if (!series.has(key)) series.set(key, { metric, labels });
  }
  return { values, series };
}

/** Rates by key joined back to their series. */
export function toRateSeries(
  rates: ReadonlyMap<string, number>,
  series: ReadonlyMap<string, CounterSeries>,
): RateSeries[] {
  const result: RateSeries[] = [];
  for (const [key, rate] of rates) {
    const entry = series.get(key);
    if (entry) result.push({ metric: entry.metric, labels: entry.labels, rate });
  }
  return result;
}
