import type { OverflowView } from '@/lib/types/resilience';

/** Requests refused by the connection pool, and the UO/UH responses callers got. */
export function OverflowPanel({ overflow }: { overflow: OverflowView }) {
  const { totals } = overflow;
  return (
    <section className="resilience-section" aria-labelledby="overflow-title" data-testid="overflow-panel">
      <h2 id="overflow-title">Overflow and breaker responses</h2>
      <dl className="overflow-totals">
        <div>
          <dt>Pending overflow (upstream_rq_pending_overflow)</dt>
          <dd data-testid="pending-overflow">{Math.round(totals.pendingOverflow)}</dd>
        </div>
        <div>
          <dt>Connection overflow (cx_overflow)</dt>
          <dd>{Math.round(totals.connectionOverflow)}</dd>
        </div>
        <div>
          <dt>503 UO (breaker open)</dt>
          <dd data-testid="uo-count">{Math.round(totals.uo)}</dd>
        </div>
        <div>
          <dt>503 UH (no healthy pod)</dt>
          <dd data-testid="uh-count">{Math.round(totals.uh)}</dd>
        </div>
      </dl>
      <p className="muted">
        Over the last {Math.round(overflow.windowSeconds / 60)} min;{' '}
        {overflow.source === 'none'
          ? 'no proxy reports overflow counters (see below).'
          : `counters from ${overflow.source === 'prometheus' ? 'Prometheus' : "polls of the callers' Envoy stats"}.`}
      </p>
      {overflow.responses.length > 0 && (
        <ul aria-label="Callers getting UO or UH">
          {overflow.responses.map((entry) => (
            <li
              key={`${entry.source.namespace}/${entry.source.workload}/${entry.flag}/${entry.responseCode}`}
            >
              {entry.source.namespace}/{entry.source.workload}: {entry.responseCode} {entry.flag},{' '}
              {entry.rate.toFixed(2)} req/s (about {Math.round(entry.count)})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
