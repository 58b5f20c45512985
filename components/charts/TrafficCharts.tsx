'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ApiError, apiFetch } from '@/lib/api-fetch';
import { queryKeys } from '@/lib/query-keys';
import type { TrafficDirection, TrafficKind, TrafficSeriesResponse } from '@/lib/types/workloads';
import { chartRows, chartSummaries, codeColor, codeLabel } from '@/lib/workloads/chart-data';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { TrafficChart } from './TrafficChart';

export interface TrafficChartsProps {
  namespace: string;
  kind: TrafficKind;
  name: string;
  direction: TrafficDirection;
  /** seconds back from now */
  duration: number;
  /** milliseconds between refreshes; false to stop */
  refreshMs?: number | false;
}

const emptyTitles = {
  'no-traffic': 'No traffic in this window',
  'no-history': 'No history yet',
  'no-sidecar': 'No Istio telemetry: no sidecar',
  'no-telemetry': 'No telemetry source',
} as const;

/**
 * Request rate by response code, error rate, latency percentiles and throughput of a workload's
 * or service's inbound or outbound traffic over the window (`/api/metrics`). Reusable: the
 * workload page shows both directions, the service page its inbound traffic.
 */
export function TrafficCharts({
  namespace,
  kind,
  name,
  direction,
  duration,
  refreshMs = false,
}: TrafficChartsProps) {
  const query = { namespace, kind, name, direction, duration };
  const { data, error, isPending, isFetching, refetch } = useQuery<TrafficSeriesResponse, ApiError>({
    queryKey: queryKeys.workloads.series(query),
    queryFn: ({ signal }) =>
      apiFetch<TrafficSeriesResponse>(
        `/api/metrics/${encodeURIComponent(namespace)}/${kind}s/${encodeURIComponent(name)}?direction=${direction}&duration=${duration}s`,
        { signal },
      ),
    refetchInterval: refreshMs,
    placeholderData: keepPreviousData,
  });
  const label = `${direction === 'inbound' ? 'Inbound' : 'Outbound'} traffic`;
  const testId = `traffic-${direction}`;
  if (isPending)
    return (
      <section aria-label={label} data-testid={testId} aria-busy="true">
        <p className="muted">Loading {label.toLowerCase()}…</p>
      </section>
    );
  if (error && !data)
    return (
      <section aria-label={label} data-testid={testId}>
        <ErrorBanner error={error} retrying={isFetching} onRetry={() => void refetch()} />
      </section>
    );
  if (!data) return null;
  const summaries = chartSummaries(data.points);
  const rows = chartRows(data.points, data.codes);
  return (
    <section aria-label={label} data-testid={testId} className="traffic-charts">
      <h2>
        {label}{' '}
        <span className="muted">
          (
          {data.source === 'prometheus'
            ? 'Prometheus'
            : data.source === 'direct'
              ? 'sidecar scrapes'
              : 'no source'}
          , {data.step} s steps)
        </span>
      </h2>
      {data.warnings.length > 0 && (
        <ul className="muted" data-testid={`${testId}-warnings`}>
          {data.warnings.map((warning) => (
            <li key={warning.message}>{warning.message}</li>
          ))}
        </ul>
      )}
      {data.empty && data.empty.reason !== 'no-traffic' ? (
        <EmptyState title={emptyTitles[data.empty.reason]}>
          <p>{data.empty.message}</p>
        </EmptyState>
      ) : (
        <>
          {data.empty && (
            <p className="muted" data-testid={`${testId}-no-traffic`}>
              {emptyTitles[data.empty.reason]}: {data.empty.message}
            </p>
          )}
          <div className="traffic-chart-grid">
            <TrafficChart
              title="Request rate by response code"
              unit="req/s"
              testId={`${testId}-rate`}
              stacked
              data={rows}
              series={data.codes.map((code) => ({
                key: `code_${code}`,
                label: codeLabel(code),
                color: codeColor(code),
              }))}
              summary={summaries.rate}
            />
            <TrafficChart
              title="Error rate (5xx and no response)"
              unit="%"
              testId={`${testId}-errors`}
              data={rows}
              series={[{ key: 'errors', label: 'errors', color: 'var(--graph-failure)' }]}
              summary={summaries.errors}
            />
            <TrafficChart
              title="Request duration"
              unit="ms"
              testId={`${testId}-latency`}
              data={rows}
              series={[
                { key: 'p50', label: 'p50', color: 'var(--graph-healthy)' },
                { key: 'p95', label: 'p95', color: 'var(--graph-degraded)' },
                { key: 'p99', label: 'p99', color: 'var(--graph-failure)' },
              ]}
              summary={summaries.latency}
            />
            <TrafficChart
              title="Throughput"
              unit="B/s"
              testId={`${testId}-throughput`}
              data={rows}
              series={[
                { key: 'requestBytes', label: 'requests', color: 'var(--accent)' },
                { key: 'responseBytes', label: 'responses', color: 'var(--graph-idle)' },
              ]}
              summary={summaries.throughput}
            />
          </div>
        </>
      )}
    </section>
  );
}
