'use client';

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatRps } from '@/lib/format/traffic';
import type { HistorySample } from '@/lib/graph-view/history';

export interface HistoryChartProps {
  samples: readonly HistorySample[];
  /** draw the p95 response time too (edges) */
  withResponseTime: boolean;
}

function clock(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * The last minutes of a node's or edge's traffic, from the refreshes this page has fetched. A
 * line needs two points: until the second refresh it says so instead.
 */
export function HistoryChart({ samples, withResponseTime }: HistoryChartProps) {
  if (samples.length < 2) {
    return (
      <p className="muted" data-testid="history-chart-empty">
        The chart fills in as the graph refreshes ({samples.length} sample so far).
      </p>
    );
  }
  const data = samples.map((sample) => ({
    t: sample.t,
    rps: Number(sample.rps.toFixed(3)),
    errors: Number((sample.errorRate * 100).toFixed(2)),
    p95: sample.p95 === null ? null : Number(sample.p95.toFixed(1)),
  }));
  const first = samples[0];
  const last = samples.at(-1);
  return (
    <figure className="history-chart" data-testid="history-chart">
      <LineChart
        responsive
        style={{ width: '100%', height: 160 }}
        data={data}
        margin={{ top: 4, right: 4, bottom: 0, left: -16 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis
          dataKey="t"
          type="number"
          domain={['dataMin', 'dataMax']}
          tickFormatter={clock}
          tick={{ fontSize: 10 }}
          stroke="var(--text-muted)"
        />
        <YAxis yAxisId="rps" tick={{ fontSize: 10 }} stroke="var(--text-muted)" />
        <YAxis yAxisId="pct" orientation="right" hide domain={[0, 100]} />
        {withResponseTime && <YAxis yAxisId="ms" orientation="right" hide />}
        <Tooltip
          labelFormatter={(label) => clock(Number(label))}
          contentStyle={{ background: 'var(--surface)', color: 'var(--text)' }}
        />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Line
          yAxisId="rps"
          dataKey="rps"
          name="req/s"
          stroke="var(--accent)"
          dot={false}
          isAnimationActive={false}
        />
        <Line
          yAxisId="pct"
          dataKey="errors"
          name="errors %"
          stroke="var(--danger-border)"
          dot={false}
          isAnimationActive={false}
        />
        {withResponseTime && (
          <Line
            yAxisId="ms"
            dataKey="p95"
            name="p95 ms"
            stroke="var(--warning-border)"
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        )}
      </LineChart>
      <figcaption className="muted">
        {samples.length} refreshes from {first ? clock(first.t) : ''} to {last ? clock(last.t) : ''}; now{' '}
        {last ? formatRps(last.rps) : '0'} req/s.
      </figcaption>
    </figure>
  );
}
