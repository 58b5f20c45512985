'use client';

import Link from 'next/link';
import { resiliencePageSearch } from '@/lib/resilience/page-params';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { EjectionTimeline } from './EjectionTimeline';
import { clockTime } from './hostWords';
import { OverflowPanel } from './OverflowPanel';
import { PodStateTable } from './PodStateTable';
import { PolicyPanel } from './PolicyPanel';
import { ResilienceEditors } from './ResilienceEditors';
import { ResilienceToolbar } from './ResilienceToolbar';
import { StatsNotice } from './StatsNotice';
import { asApiError, useServiceResilience } from './useResilience';
import { useResilienceUrlState } from './useResilienceUrlState';
import { WarningBanners } from './WarningBanners';

/** One service: its policy in words, its pods as callers see them, history, overflow, and the editors. */
export function ResilienceView({ namespace, service }: { namespace: string; service: string }) {
  const [state, update] = useResilienceUrlState();
  const query = useServiceResilience(namespace, service, state);
  const data = query.data;
  return (
    <>
      <p>
        <Link href={`/resilience?${resiliencePageSearch({ ...state, namespaces: [namespace] })}`}>
          ← All services
        </Link>
      </p>
      <ResilienceToolbar state={state} onChange={update} withNamespaces={false} />
      {query.isPending && (
        <p role="status" className="muted" aria-busy="true">
          Polling the Envoy admin of {service}’s callers…
        </p>
      )}
      {query.error && (
        <ErrorBanner
          error={asApiError(query.error)}
          {...(data ? { staleSince: query.dataUpdatedAt } : {})}
          retrying={query.isFetching}
          onRetry={() => void query.refetch()}
        />
      )}
      {data && (
        <>
          <WarningBanners warnings={data.warnings} />
          <p className="resilience-summary" role="status" data-testid="ejection-summary">
            {data.summary.text}
          </p>
          <p className="muted">
            As {data.summary.callers} caller pod{data.summary.callers === 1 ? '' : 's'} see
            {data.summary.callers === 1 ? 's' : ''} it (callers from{' '}
            {data.polling.callersFrom === 'telemetry' ? 'traffic in the window' : 'the namespace'}; polled
            every {data.polling.intervalMs / 1000} s, {data.polling.requestsPerRound} admin requests per round
            {data.polling.capped ? ', capped' : ''}; last poll {clockTime(data.polling.lastPollAt)}).
          </p>
          {data.pods.length === 0 ? (
            <EmptyState title="No running pods">
              <p>The service selects no running pod, so there is nothing to eject.</p>
            </EmptyState>
          ) : (
            <PodStateTable pods={data.pods} callers={data.callers} />
          )}
          <StatsNotice stats={data.stats} />
          <div className="resilience-grid">
            <section className="resilience-section" aria-labelledby="history-title">
              <h2 id="history-title">Ejection history</h2>
              <EjectionTimeline history={data.history} />
            </section>
            <OverflowPanel overflow={data.overflow} />
          </div>
          <PolicyPanel policies={data.policies} />
        </>
      )}
      <ResilienceEditors namespace={namespace} service={service} />
    </>
  );
}
