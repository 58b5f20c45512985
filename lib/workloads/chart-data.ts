/**
 * The traffic series reshaped for the charts: one row per point with a column per series, and
 * the latest values in words for each chart's caption (what screen readers and tests read).
 */
import type { TrafficPoint } from '../types/workloads';

export type ChartRow = Record<string, number | null>;

/** The colour of a response code's class, from the page's CSS variables. */
export function codeColor(code: string): string {
  if (code.startsWith('2')) return 'var(--graph-healthy)';
  if (code.startsWith('3')) return 'var(--accent)';
  if (code.startsWith('4')) return 'var(--graph-degraded)';
  return 'var(--graph-failure)';
}

export function codeLabel(code: string): string {
  return code === '0' ? 'no response' : code;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function chartRows(points: readonly TrafficPoint[], codes: readonly string[]): ChartRow[] {
  return points.map((point) => {
    const row: ChartRow = {
      t: point.time,
      errors: point.errorRate === null ? null : round(point.errorRate * 100, 2),
      p50: point.p50,
      p95: point.p95,
      p99: point.p99,
      requestBytes: round(point.requestBytesPerSecond, 1),
      responseBytes: round(point.responseBytesPerSecond, 1),
    };
    for (const code of codes) row[`code_${code}`] = round(point.byCode[code] ?? 0, 3);
    return row;
  });
}

function latest(points: readonly TrafficPoint[]): TrafficPoint | undefined {
  return points.at(-1);
}

export interface ChartSummaries {
  rate: string;
  errors: string;
  latency: string;
  throughput: string;
}

function unitValue(value: number | null, unit: string): string {
  if (value === null) return 'n/a';
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(2)} ${unit}`;
}

/** The latest point of each chart in words. */
export function chartSummaries(points: readonly TrafficPoint[]): ChartSummaries {
  const point = latest(points);
  if (!point) return { rate: 'no data', errors: 'no data', latency: 'no data', throughput: 'no data' };
  const codes = Object.entries(point.byCode)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, rate]) => `${codeLabel(code)}: ${rate.toFixed(2)}`)
    .join(', ');
  return {
    rate: `Latest ${point.rps.toFixed(2)} req/s${codes ? ` (${codes})` : ''}`,
    errors: `Latest ${point.errorRate === null ? 'n/a' : `${(point.errorRate * 100).toFixed(2)} %`} errors`,
    latency: `Latest p50 ${unitValue(point.p50, 'ms')}, p95 ${unitValue(point.p95, 'ms')}, p99 ${unitValue(point.p99, 'ms')}`,
    throughput: `Latest ${unitValue(point.requestBytesPerSecond, 'B/s')} in requests, ${unitValue(point.responseBytesPerSecond, 'B/s')} in responses`,
  };
}
