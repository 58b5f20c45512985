'use client';

import type { DraftAction, DraftRoute } from '@/lib/traffic-split/draft';
import { routeKey, routeLabel } from '@/lib/traffic-split/routes';
import { sum, totalProblem } from '@/lib/traffic-split/weights';
import type { WeightProblem } from '@/lib/types/traffic-split';
import { HeaderRuleForm } from './HeaderRuleForm';
import { WeightRow } from './WeightRow';

export interface RouteEditorProps {
  route: DraftRoute;
  disabled: boolean;
  /** the server's objections to this route's weights (from a refused review) */
  problems: readonly WeightProblem[];
  /** header rules may be added in front of this route */
  canAddHeaderRule: boolean;
  onAction: (action: DraftAction) => void;
}

/** One weighted route: a slider per destination, the total, quick actions and a header-rule form. */
export function RouteEditor({ route, disabled, problems, canAddHeaderRule, onAction }: RouteEditorProps) {
  const key = routeKey(route);
  const { weights, locked } = route.state;
  const total = sum(weights);
  const totalError = totalProblem(weights);
  const routeProblems = problems.filter((problem) => problem.destination === undefined).map((p) => p.message);
  const title = routeLabel(route);
  const headingId = `route-${key.replace(':', '-')}`;

  return (
    <section className="route-editor" aria-labelledby={headingId} data-testid="route-editor" data-route={key}>
      <h2 id={headingId}>{title}</h2>
      <p className="muted">
        {route.match.length === 0
          ? 'Matches every request not matched above.'
          : `Matches: ${route.match.join('; or ')}`}
      </p>
      <table className="data-table weight-table">
        <caption className="visually-hidden">Weights of {title}</caption>
        <thead>
          <tr>
            <th scope="col">Destination</th>
            <th scope="col">Weight</th>
            <th scope="col">Percent</th>
            <th scope="col">Lock</th>
            <th scope="col">Quick</th>
            <th scope="col">Applied</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {route.destinations.map((destination, position) => (
            <WeightRow
              key={`${destination.host}|${destination.subset ?? ''}|${destination.port ?? ''}`}
              destination={destination}
              weight={weights[position] ?? 0}
              applied={route.applied[position] ?? 0}
              locked={locked[position] ?? false}
              disabled={disabled}
              problem={problems.find((problem) => problem.destination === position)?.message}
              onMove={(value) => onAction({ type: 'move', route: key, position, value })}
              onToggleLock={() => onAction({ type: 'lock', route: key, position })}
              onAllHere={() => onAction({ type: 'all', route: key, position })}
            />
          ))}
        </tbody>
      </table>
      <p
        className={totalError ? 'route-total field-error' : 'route-total'}
        data-testid="route-total"
        role="status"
      >
        Total: <strong>{total}%</strong>
        {totalError ? ` — ${totalError}` : ''}
      </p>
      {routeProblems.map((message) => (
        <p key={message} className="field-error">
          {message}
        </p>
      ))}
      <fieldset className="quick-actions">
        <legend className="visually-hidden">Quick actions for {title}</legend>
        <button type="button" disabled={disabled} onClick={() => onAction({ type: 'even', route: key })}>
          Even split
        </button>
        <button
          type="button"
          disabled={disabled}
          onClick={() => onAction({ type: 'lastApplied', route: key })}
        >
          Back to last applied
        </button>
      </fieldset>
      {canAddHeaderRule && route.protocol === 'http' && (
        <HeaderRuleForm
          route={route}
          disabled={disabled}
          onAdd={(addition) => onAction({ type: 'addHeaderRoute', addition })}
        />
      )}
    </section>
  );
}
