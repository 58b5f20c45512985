'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { formatMs, formatRatio, formatRps } from '@/lib/format/traffic';
import { queryKeys } from '@/lib/query-keys';
import { parseListPageState } from '@/lib/services/params';
import type { ServiceDetail } from '@/lib/types/services';
import { TrafficCharts } from '../charts/TrafficCharts';
import { SeverityBadge } from '../config/SeverityBadge';
import { WarningList } from '../config/WarningList';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { AppliedConfigList } from './AppliedConfigList';
import { NeighbourhoodGraph } from './NeighbourhoodGraph';
import { ServiceTables } from './ServiceTables';
import { TrafficSplitSummary } from './TrafficSplitSummary';

/** How often the page refreshes, in milliseconds. */
const SERVICE_REFRESH_MS = 15_000;

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

/** One service: traffic, ports and endpoints, the config that applies, its splits and neighbourhood. */
export function ServiceView({ namespace, name }: { namespace: string; name: string }) {
  const { duration } = parseListPageState(useSearchParams());
  const detail = useQuery({
    queryKey: queryKeys.services.detail(namespace, name, duration),
    queryFn: ({ signal }) =>
      apiFetch<ServiceDetail>(
        `/api/services/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}?duration=${duration}s`,
        { signal },
      ),
    refetchInterval: SERVICE_REFRESH_MS,
  });
  const data = detail.data;
  if (detail.error && !data) {
    if (detail.error instanceof ApiError && detail.error.status === 404) {
      return (
        <EmptyState title="Service not found">
          <p>
            The cluster has no Service {namespace}/{name}. It may have been deleted; see the{' '}
            <Link href={`/services?namespaces=${encodeURIComponent(namespace)}`}>
              services of {namespace}
            </Link>
            .
          </p>
        </EmptyState>
      );
    }
  }
  return (
    <>
      {detail.error && (
        <ErrorBanner
          error={asApiError(detail.error)}
          staleSince={data ? detail.dataUpdatedAt : undefined}
          retrying={detail.isFetching}
          onRetry={() => void detail.refetch()}
        />
      )}
      {detail.isPending && (
        <p role="status" className="muted">
          Loading the service…
        </p>
      )}
      {data && (
        <>
          <WarningList warnings={data.warnings} />
          <dl className="service-facts" aria-label="Service summary">
            <dt>Host</dt>
            <dd>{data.fqdn}</dd>
            <dt>Type</dt>
            <dd>{data.type}</dd>
            <dt>Health</dt>
            <dd>
              <span className={`badge badge-health-${data.health.status}`}>{data.health.status}</span>{' '}
              {data.health.reason ?? ''}
            </dd>
            <dt>Inbound</dt>
            <dd>
              {formatRps(data.traffic.requestRate)} req/s, {formatRatio(data.traffic.errorRate)} errors, p95{' '}
              {formatMs(data.traffic.p95Ms)} over {data.duration}s
            </dd>
            <dt>Sidecar</dt>
            <dd>{data.sidecar}</dd>
          </dl>
          {(data.links.grafana || data.links.tracing) && (
            <p className="service-links">
              {data.links.grafana && (
                <a href={data.links.grafana} target="_blank" rel="noreferrer">
                  Grafana dashboard
                </a>
              )}{' '}
              {data.links.tracing && (
                <a href={data.links.tracing} target="_blank" rel="noreferrer">
                  Traces
                </a>
              )}
            </p>
          )}
          <section aria-labelledby="service-config">
            <h2 id="service-config">Istio config that applies</h2>
            {data.findings.length > 0 && (
              <ul aria-label="Findings of the Service" data-testid="service-findings">
                {data.findings.map((finding) => (
                  <li key={`${finding.code}:${finding.path}`}>
                    <SeverityBadge severity={finding.severity} /> Service: {finding.message}
                  </li>
                ))}
              </ul>
            )}
            <AppliedConfigList config={data.config} />
          </section>
          <section aria-labelledby="service-split">
            <h2 id="service-split">Traffic split</h2>
            <TrafficSplitSummary splits={data.trafficSplits} />
          </section>
          <section aria-labelledby="service-neighbourhood">
            <h2 id="service-neighbourhood">Neighbourhood</h2>
            <NeighbourhoodGraph neighbourhood={data.neighbourhood} />
          </section>
          <section aria-label="Inbound metrics">
            <TrafficCharts
              namespace={namespace}
              kind="service"
              name={name}
              direction="inbound"
              duration={duration}
              refreshMs={SERVICE_REFRESH_MS}
            />
          </section>
          <ServiceTables detail={data} />
        </>
      )}
    </>
  );
}
