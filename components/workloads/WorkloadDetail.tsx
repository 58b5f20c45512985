'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { formatMs, formatRps } from '@/lib/format/traffic';
import { REFRESH_OPTIONS, type RefreshSetting, refreshIntervalMs } from '@/lib/graph-params';
import { configObjectHref } from '@/lib/istio-config/kinds';
import { queryKeys } from '@/lib/query-keys';
import type { WorkloadDetailResponse } from '@/lib/types/workloads';
import {
  externalLinks,
  parseWorkloadPageState,
  type WorkloadPageState,
  workloadPageSearch,
} from '@/lib/workloads/page-state';
import { SERIES_DURATIONS } from '@/lib/workloads/params';
import { TrafficCharts } from '../charts/TrafficCharts';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { AccessLogPanel } from './AccessLogPanel';
import { PodsTable } from './PodsTable';
import { ProxyConfigPanel } from './ProxyConfigPanel';
import { useUrlState } from './useUrlState';
import './workloads.css';

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

/** A workload's page: summary, pods, traffic charts, a pod's proxy config and access log. */
export function WorkloadDetail({ namespace, name }: { namespace: string; name: string }) {
  const [state, update] = useUrlState<WorkloadPageState>(parseWorkloadPageState, workloadPageSearch);
  const refreshMs = refreshIntervalMs(state.refresh);
  const detail = useQuery({
    queryKey: queryKeys.workloads.detail(namespace, name),
    queryFn: ({ signal }) =>
      apiFetch<WorkloadDetailResponse>(
        `/api/workloads/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
        { signal },
      ),
    refetchInterval: refreshMs,
  });
  const data = detail.data;
  const withSidecar = (data?.pods ?? []).filter((pod) => pod.injection.injected && pod.phase === 'Running');
  const pod = withSidecar.find((candidate) => candidate.name === state.pod)?.name ?? withSidecar[0]?.name;
  const links = data
    ? externalLinks(data.links, { namespace, name, app: data.workload.app }, state.duration, Date.now())
    : {};
  return (
    <>
      <nav aria-label="Breadcrumb" className="muted">
        <Link href={`/workloads?namespaces=${encodeURIComponent(namespace)}`}>Workloads</Link> / {namespace}
      </nav>
      <h1>{name}</h1>
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
          Loading {name}…
        </p>
      )}
      {data && (
        <>
          <dl className="workload-summary" data-testid="workload-summary">
            <dt>Kind</dt>
            <dd>{data.workload.kind}</dd>
            <dt>Health</dt>
            <dd>
              <span className={`badge badge-health-${data.workload.health}`}>{data.workload.health}</span>{' '}
              {data.workload.healthReason}
            </dd>
            <dt>Inbound</dt>
            <dd>
              {data.workload.requestRate === null ? 'n/a' : `${formatRps(data.workload.requestRate)} req/s`},
              p95 {formatMs(data.workload.p95)} (last minute)
            </dd>
            <dt>Services</dt>
            <dd>{data.services.length > 0 ? data.services.join(', ') : 'none selects it'}</dd>
            <dt>Istio config</dt>
            <dd>
              {data.workload.istioConfig.length === 0
                ? 'none applies'
                : data.workload.istioConfig.map((object, index) => (
                    <span key={`${object.kind}/${object.namespace}/${object.name}`}>
                      {index > 0 ? ', ' : ''}
                      <Link href={configObjectHref(object)}>
                        {object.kind} {object.namespace}/{object.name}
                      </Link>{' '}
                      <span className="muted">({object.via})</span>
                    </span>
                  ))}
            </dd>
          </dl>
          {(links.grafana || links.tracing) && (
            <p className="links-out">
              {links.grafana && (
                <a href={links.grafana} target="_blank" rel="noreferrer">
                  Grafana dashboard
                </a>
              )}
              {links.tracing && (
                <a href={links.tracing} target="_blank" rel="noreferrer">
                  Traces
                </a>
              )}
            </p>
          )}
          {data.warnings.map((warning) => (
            <p key={`${warning.source}:${warning.message}`} role="status" className="banner banner-warning">
              {warning.source}: {warning.message}
            </p>
          ))}
          <section className="workload-section" aria-label="Pods">
            <h2>Pods</h2>
            {data.pods.length === 0 ? (
              <EmptyState title="No pods">
                <p>The workload has no pods: it may be scaled to zero, or its pods failed to be created.</p>
              </EmptyState>
            ) : (
              <PodsTable pods={data.pods} />
            )}
          </section>
        </>
      )}
      <form
        className="workload-filters"
        aria-label="Time window"
        onSubmit={(event) => event.preventDefault()}
      >
        <label>
          <span className="field-label">Time window</span>
          <select
            value={state.duration}
            onChange={(event) => update({ duration: Number(event.target.value) })}
          >
            {SERIES_DURATIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Refresh</span>
          <select
            value={state.refresh}
            onChange={(event) => update({ refresh: event.target.value as RefreshSetting })}
          >
            {REFRESH_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <TrafficCharts
        namespace={namespace}
        kind="workload"
        name={name}
        direction="inbound"
        duration={state.duration}
        refreshMs={refreshMs}
      />
      <TrafficCharts
        namespace={namespace}
        kind="workload"
        name={name}
        direction="outbound"
        duration={state.duration}
        refreshMs={refreshMs}
      />
      {data && !pod && (
        <EmptyState title="No proxy to inspect">
          <p>
            No running pod of {name} has the istio-proxy sidecar, so there is no Envoy config or access log.
            The pods table says why the sidecar is missing.
          </p>
        </EmptyState>
      )}
      {pod && (
        <>
          {withSidecar.length > 0 && (
            <label className="workload-filters">
              <span className="field-label">Pod</span>
              <select value={pod} onChange={(event) => update({ pod: event.target.value })}>
                {withSidecar.map((candidate) => (
                  <option key={candidate.name} value={candidate.name}>
                    {candidate.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <ProxyConfigPanel
            namespace={namespace}
            pod={pod}
            tab={state.tab}
            search={state.search}
            onChange={update}
          />
          <AccessLogPanel namespace={namespace} pod={pod} state={state} onChange={update} />
        </>
      )}
    </>
  );
}
