'use client';

import { useReducer, useState } from 'react';
import type { ApiError } from '@/lib/api-fetch';
import {
  changeOf,
  type Draft,
  draftFrom,
  draftReducer,
  isDirty,
  type Rebased,
  rebase,
  undoChange,
} from '@/lib/traffic-split/draft';
import type {
  TrafficSplit,
  TrafficSplitChange,
  TrafficSplitResult,
  WeightProblem,
} from '@/lib/types/traffic-split';
import { asApiError, useTrafficSplitWrite } from './useTrafficSplit';

export type Stage =
  | { kind: 'edit' }
  | { kind: 'review'; change: TrafficSplitChange; result: TrafficSplitResult }
  | {
      kind: 'applied';
      result: TrafficSplitResult;
      undo?: { draft: Draft; change: TrafficSplitChange; note?: string };
    };

export interface Conflict {
  read: TrafficSplit;
  current: TrafficSplit;
  mine: Draft;
  rebased: Rebased;
}

/**
 * The editor's steps: edit the draft, review the server's dry run, apply, undo; a 400 puts the
 * server's problems next to the sliders, a 409 opens the conflict with the user's draft rebased on
 * the latest version. `split` is the latest read; while nothing is edited, a newer one replaces
 * the draft's base.
 */
export function useSplitEditor(namespace: string, name: string, split: TrafficSplit) {
  const [draft, dispatch] = useReducer(draftReducer, split, draftFrom);
  const [stage, setStage] = useState<Stage>({ kind: 'edit' });
  const [problems, setProblems] = useState<WeightProblem[]>([]);
  const [failure, setFailure] = useState<ApiError | undefined>(undefined);
  const [conflict, setConflict] = useState<Conflict | undefined>(undefined);
  const write = useTrafficSplitWrite(namespace, name);

  // Adjusting state to a newer read during render (React's documented pattern, no effect needed).
  if (
    split.resourceVersion !== draft.base.resourceVersion &&
    !isDirty(draft) &&
    stage.kind === 'edit' &&
    conflict === undefined
  ) {
    dispatch({ type: 'reset', split });
  }

  const handleError = (error: unknown, mine: Draft) => {
    const apiError = asApiError(error);
    const current = apiError.details?.current as TrafficSplit | undefined;
    if (apiError.code === 'conflict:resource-version' && current) {
      setConflict({ read: mine.base, current, mine, rebased: rebase(mine, current) });
      setStage({ kind: 'edit' });
      return;
    }
    const refused = apiError.details?.problems as WeightProblem[] | undefined;
    if (apiError.code === 'invalid:weights' && refused) {
      setProblems(refused);
      setStage({ kind: 'edit' });
      return;
    }
    setFailure(apiError);
  };

  const start = () => {
    setFailure(undefined);
    setProblems([]);
  };

  /** Applies `change` (based on `mine`) and shows the result with its undo. */
  const apply = (change: TrafficSplitChange, mine: Draft) => {
    start();
    write.mutate(
      { ...change, dryRun: false },
      {
        onSuccess: (result) => {
          setConflict(undefined);
          const undo = result.split ? undoChange(mine, result.split) : undefined;
          if (result.split) dispatch({ type: 'reset', split: result.split });
          setStage({ kind: 'applied', result, ...(undo ? { undo } : {}) });
        },
        onError: (error) => handleError(error, mine),
      },
    );
  };

  return {
    draft,
    dispatch,
    stage,
    problems,
    failure,
    conflict,
    busy: write.isPending,
    /** A newer version exists than the one being edited. */
    stale: split.resourceVersion !== draft.base.resourceVersion,
    review: () => {
      start();
      const change = changeOf(draft);
      write.mutate(
        { ...change, dryRun: true },
        {
          onSuccess: (result) => setStage({ kind: 'review', change, result }),
          onError: (error) => handleError(error, draft),
        },
      );
    },
    apply: () => {
      if (stage.kind === 'review') apply(stage.change, draft);
    },
    undo: () => {
      if (stage.kind === 'applied' && stage.undo) apply(stage.undo.change, stage.undo.draft);
    },
    backToEditing: () => setStage({ kind: 'edit' }),
    reapply: () => {
      if (conflict && conflict.rebased.problems.length === 0)
        apply(changeOf(conflict.rebased.draft), conflict.rebased.draft);
    },
    discard: () => {
      if (conflict) dispatch({ type: 'reset', split: conflict.current });
      setConflict(undefined);
      setStage({ kind: 'edit' });
      start();
    },
    startOver: () => {
      dispatch({ type: 'reset', split });
      setStage({ kind: 'edit' });
      start();
    },
  };
}
