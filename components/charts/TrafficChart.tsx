'use client';

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

export interface TrafficChartProps {
  title: string;
  /** the unit shown in tooltips and on the axis (`req/s`, `%`, `ms`, `B/s`) */
  unit: string;
  data: readonly Record<string, number | null>[];
  series: readonly ChartSeries[];
  /** stacked areas (rates by code) instead of lines */
  stacked?: boolean;
  testId: string;
  /** one line under the chart: the latest values in words */
  summary: string;
}

function clock(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function formatValue(value: unknown, unit: string): string {
  if (typeof value !== 'number') return '–';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** One time-series chart of the traffic panel: lines or stacked areas over the window, tooltips with units. */
export function TrafficChart({
  title,
  unit,
  data,
  series,
  stacked = false,
  testId,
  summary,
}: TrafficChartProps) {
  const common = {
    responsive: true,
    style: { width: '100%', height: 180 },
    data: data as Record<string, number | null>[],
    margin: { top: 4, right: 8, bottom: 0, left: 0 },
  };
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={['dataMin', 'dataMax']}
        tickFormatter={clock}
        tick={{ fontSize: 10 }}
        stroke="var(--text-muted)"
      />
      <YAxis
        tick={{ fontSize: 10 }}
        stroke="var(--text-muted)"
        width={48}
        label={{ value: unit, angle: -90, position: 'insideLeft', fontSize: 10, fill: 'var(--text-muted)' }}
      />
      <Tooltip
        labelFormatter={(label) => clock(Number(label))}
        formatter={(value, name) => [formatValue(value, unit), name]}
        contentStyle={{ background: 'var(--surface)', color: 'var(--text)', borderColor: 'var(--border)' }}
      />
      <Legend wrapperStyle={{ fontSize: 11 }} />
    </>
  );
  return (
    <figure className="traffic-chart" data-testid={testId} aria-label={title}>
      <h3>{title}</h3>
      {stacked ? (
        <AreaChart {...common}>
          {axes}
          {series.map((entry) => (
            <Area
              key={entry.key}
              dataKey={entry.key}
              name={entry.label}
              stackId="1"
              stroke={entry.color}
              fill={entry.color}
              fillOpacity={0.35}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      ) : (
        <LineChart {...common}>
          {axes}
          {series.map((entry) => (
            <Line
              key={entry.key}
              dataKey={entry.key}
              name={entry.label}
              stroke={entry.color}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      )}
      <figcaption className="muted" data-testid={`${testId}-summary`}>
        {summary}
      </figcaption>
    </figure>
  );
}
