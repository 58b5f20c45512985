'use client';

import { isDirty } from '@/lib/traffic-split/draft';
import { routeKey } from '@/lib/traffic-split/routes';
import type { TrafficSplit } from '@/lib/types/traffic-split';
import { ErrorBanner } from '../ErrorBanner';
import { AppliedNotice } from './AppliedNotice';
import { ConflictDialog } from './ConflictDialog';
import { FindingList } from './FindingList';
import { PendingChanges } from './PendingChanges';
import { ReviewPanel } from './ReviewPanel';
import { RouteEditor } from './RouteEditor';
import { SubsetOffers } from './SubsetOffers';
import { useSplitEditor } from './useSplitEditor';

/**
 * The traffic-split editor of one VirtualService once read: sliders per weighted route, then the
 * review of the server's dry run, the apply and its undo; a conflict opens a dialog.
 */
export function TrafficSplitEditor({ split }: { split: TrafficSplit }) {
  const editor = useSplitEditor(split.namespace, split.name, split);
  const { draft, dispatch, stage, conflict } = editor;
  const locked = !split.editable || editor.busy || stage.kind !== 'edit' || conflict !== undefined;
  const dirty = isDirty(draft);

  return (
    <div
      className="split-editor"
      data-testid="split-editor"
      data-resource-version={draft.base.resourceVersion}
    >
      <p className="muted">
        Hosts {split.hosts.join(', ') || '(none)'}
        {split.gateways.length > 0 ? `, gateways ${split.gateways.join(', ')}` : ''} · resourceVersion{' '}
        <code data-testid="resource-version">{draft.base.resourceVersion}</code>
      </p>
      {!split.editable && (
        <div className="banner banner-warning" role="note" data-testid="read-only-reason">
          <p className="banner-title">{split.owner ? `Managed by ${split.owner.controller}` : 'Read-only'}</p>
          <p>{split.reason}</p>
        </div>
      )}
      {split.warnings.map((warning) => (
        <p key={`${warning.source}:${warning.message}`} role="status" className="banner banner-warning">
          {warning.source}: {warning.message}
        </p>
      ))}
      {editor.stale && dirty && stage.kind === 'edit' && !conflict && (
        <div className="banner banner-warning" role="status" data-testid="stale-notice">
          <p>
            Someone changed this VirtualService after you started editing (now at resourceVersion{' '}
            {split.resourceVersion}). Applying will show what changed and let you re-apply your split on it.
          </p>
          <button type="button" onClick={editor.startOver}>
            Start over from the latest
          </button>
        </div>
      )}
      {editor.failure && (
        <ErrorBanner error={editor.failure} retrying={editor.busy} onRetry={editor.review} />
      )}
      {stage.kind === 'applied' && (
        <AppliedNotice
          result={stage.result}
          {...(stage.undo?.note !== undefined ? { undoNote: stage.undo.note } : {})}
          canUndo={stage.undo !== undefined}
          undoing={editor.busy}
          onUndo={editor.undo}
          onDone={editor.backToEditing}
        />
      )}
      {split.routes.length === 0 && (
        <p className="muted">This VirtualService has no HTTP or TCP route with destinations to weigh.</p>
      )}
      {split.editable && (
        <SubsetOffers
          offers={split.subsetOffers}
          added={draft.subsets}
          disabled={locked}
          onAdd={(offer) => dispatch({ type: 'addSubset', offer })}
          onRemove={(subset) => dispatch({ type: 'removeSubset', host: subset.host, name: subset.name })}
        />
      )}
      {draft.routes.map((route) => (
        <RouteEditor
          key={routeKey(route)}
          route={route}
          disabled={locked}
          problems={editor.problems.filter(
            (problem) => problem.protocol === route.protocol && problem.index === route.index,
          )}
          canAddHeaderRule={split.editable}
          onAction={dispatch}
        />
      ))}
      <PendingChanges
        subsets={draft.subsets}
        headerRoutes={draft.headerRoutes}
        disabled={locked}
        onRemoveSubset={(subset) => dispatch({ type: 'removeSubset', host: subset.host, name: subset.name })}
        onRemoveHeaderRoute={(position) => dispatch({ type: 'removeHeaderRoute', position })}
      />
      {split.editable && stage.kind === 'edit' && (
        <div className="review-actions">
          <button
            type="button"
            className="button-primary"
            disabled={!dirty || editor.busy || conflict !== undefined}
            aria-busy={editor.busy}
            onClick={editor.review}
          >
            {editor.busy ? 'Checking…' : 'Review change'}
          </button>
          {!dirty && <span className="muted">Move a slider to change the split.</span>}
        </div>
      )}
      {stage.kind === 'review' && (
        <ReviewPanel
          result={stage.result}
          applying={editor.busy}
          onApply={editor.apply}
          onBack={editor.backToEditing}
        />
      )}
      <FindingList findings={split.findings} title="Current findings of this VirtualService" />
      {conflict && (
        <ConflictDialog
          read={conflict.read}
          current={conflict.current}
          mine={conflict.mine}
          rebaseProblems={conflict.rebased.problems}
          busy={editor.busy}
          onReapply={editor.reapply}
          onDiscard={editor.discard}
        />
      )}
    </div>
  );
}
