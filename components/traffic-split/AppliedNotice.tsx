'use client';

import type { TrafficSplitResult } from '@/lib/types/traffic-split';

export interface AppliedNoticeProps {
  result: TrafficSplitResult;
  /** what undo leaves in place (subsets, header rules), in words; undo restores weights only */
  undoNote?: string;
  /** the weights can be put back (false when the routes can no longer be found) */
  canUndo: boolean;
  undoing: boolean;
  onUndo: () => void;
  onDone: () => void;
}

/** A successful apply: the object's new resourceVersion and an undo of the weights. */
export function AppliedNotice({ result, undoNote, canUndo, undoing, onUndo, onDone }: AppliedNoticeProps) {
  return (
    <div className="banner banner-success" role="status" data-testid="applied-notice">
      <p className="banner-title">Applied</p>
      <p>
        {result.changes
          .map(
            (change) =>
              `${change.kind} ${change.namespace}/${change.name} is now at resourceVersion ${change.resourceVersion}`,
          )
          .join('; ')}
        .
      </p>
      <p>
        New resourceVersion: <code data-testid="applied-resource-version">{result.resourceVersion}</code>
      </p>
      {undoNote && <p className="muted">{undoNote}</p>}
      <div className="review-actions">
        {canUndo && (
          <button type="button" onClick={onUndo} disabled={undoing} aria-busy={undoing}>
            {undoing ? 'Undoing…' : 'Undo'}
          </button>
        )}
        <button type="button" className="button-quiet" onClick={onDone} disabled={undoing}>
          Close
        </button>
      </div>
    </div>
  );
}
