'use client';

import { useEffect, useRef } from 'react';
import type { Draft } from '@/lib/traffic-split/draft';
import { destinationLabel, routeLabel } from '@/lib/traffic-split/routes';
import type { TrafficSplit } from '@/lib/types/traffic-split';
import { YamlDiff } from './YamlDiff';

export interface ConflictDialogProps {
  /** the split the user's change was based on */
  read: TrafficSplit;
  /** the split as it is now */
  current: TrafficSplit;
  /** the user's draft, to say what they were about to apply */
  mine: Draft;
  /** why the user's split cannot be carried over as it is; empty when it can */
  rebaseProblems: readonly string[];
  busy: boolean;
  onReapply: () => void;
  onDiscard: () => void;
}

/**
 * Someone changed the VirtualService between the read and the apply: what changed meanwhile (the
 * object as read against as it is now), and the two ways on — re-apply the user's split on top of
 * the latest version, or drop it and start from the latest.
 */
export function ConflictDialog({
  read,
  current,
  mine,
  rebaseProblems,
  busy,
  onReapply,
  onDiscard,
}: ConflictDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className="conflict-dialog"
      aria-labelledby="conflict-heading"
      data-testid="conflict-dialog"
      onCancel={(event) => {
        // The dialog asks for a choice: Escape must not silently drop the user's change.
        event.preventDefault();
      }}
    >
      <h2 id="conflict-heading">The VirtualService changed since you read it</h2>
      <p>
        Your change was based on resourceVersion {read.resourceVersion}; {current.namespace}/{current.name} is
        now at {current.resourceVersion}. Nothing of yours was written.
      </p>
      <h3>What changed meanwhile</h3>
      <YamlDiff
        before={read.yaml}
        after={current.yaml}
        label="The VirtualService as you read it and as it is now"
      />
      <h3>Your split</h3>
      <ul data-testid="my-split">
        {mine.routes.map((route) => (
          <li key={`${route.protocol}:${route.index}`}>
            {routeLabel(route)}:{' '}
            {route.destinations
              .map(
                (destination, position) =>
                  `${destinationLabel(destination)} ${route.state.weights[position] ?? 0}%`,
              )
              .join(', ')}
          </li>
        ))}
      </ul>
      {rebaseProblems.map((problem) => (
        <p key={problem} className="field-error">
          {problem}
        </p>
      ))}
      <div className="review-actions">
        <button
          type="button"
          className="button-primary"
          onClick={onReapply}
          disabled={busy || rebaseProblems.length > 0}
          aria-busy={busy}
        >
          {busy ? 'Re-applying…' : 'Re-apply my split on the latest'}
        </button>
        <button type="button" onClick={onDiscard} disabled={busy}>
          Discard my change
        </button>
      </div>
    </dialog>
  );
}
