'use client';

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ResilienceHistory } from '@/lib/types/resilience';
import { clockTime } from './hostWords';

const COLORS = ['var(--graph-failure)', 'var(--accent)', 'var(--graph-degraded)', 'var(--graph-idle)'];

function seriesLabel(series: ResilienceHistory['series'][number]): string {
  const subset = series.cluster.split('|')[2] || 'all pods';
  return `${series.caller.name} → ${subset}`;
}

/** Hosts ejected over the window, one line per caller and cluster, with the ejection events below. */
export function EjectionTimeline({ history }: { history: ResilienceHistory }) {
  const times = new Set<number>();
  for (const series of history.series) for (const point of series.points) times.add(Date.parse(point.time));
  const sorted = [...times].sort((a, b) => a - b);
  const data = sorted.map((t) => {
    const row: Record<string, number> = { t };
    history.series.forEach((series, index) => {
      const point = series.points.find((candidate) => Date.parse(candidate.time) === t);
      if (point) row[`s${index}`] = point.ejected;
    });
    return row;
  });
  const source =
    history.source === 'prometheus'
      ? 'from Prometheus (envoy_cluster_outlier_detection_ejections_active)'
      : `from this dashboard's polls of the callers' Envoys${history.pollingSince ? ` since ${clockTime(history.pollingSince)}` : ''}`;
  return (
    <figure className="history-chart" data-testid="ejection-timeline">
      <figcaption className="muted">
        Pods ejected over the last {Math.round(history.windowSeconds / 60)} min, {source}.
      </figcaption>
      {data.length < 2 ? (
        <p className="muted">
          The timeline fills in as the callers are polled ({data.length} sample so far).
        </p>
      ) : (
        <LineChart
          responsive
          style={{ width: '100%', height: 120 + 18 * history.series.length }}
          data={data}
          margin={{ top: 4, right: 8, bottom: 0, left: -16 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis
            dataKey="t"
            type="number"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(t: number) => clockTime(new Date(t).toISOString())}
            tick={{ fontSize: 10 }}
            stroke="var(--text-muted)"
          />
          <YAxis allowDecimals={false} tick={{ fontSize: 10 }} stroke="var(--text-muted)" />
          <Tooltip
            labelFormatter={(label) => clockTime(new Date(Number(label)).toISOString())}
            contentStyle={{ background: 'var(--surface)', color: 'var(--text)' }}
          />
          <Legend />
          {history.series.map((series, index) => (
            <Line
              key={`${series.caller.namespace}/${series.caller.name}/${series.cluster}`}
              type="stepAfter"
              dataKey={`s${index}`}
              name={seriesLabel(series)}
              stroke={COLORS[index % COLORS.length]}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      )}
      {history.events.length > 0 && (
        <ul aria-label="Ejections seen" data-testid="ejection-events">
          {history.events.map((event) => (
            <li key={`${event.caller.name}|${event.cluster}|${event.address}|${event.start}`}>
              {event.pod?.name ?? event.address} ejected by {event.caller.name} at {clockTime(event.start)}
              {event.end ? `, back at ${clockTime(event.end)}` : ', still out'}
              {event.ejections > 1 ? ` (${event.ejections} ejections)` : ''}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
