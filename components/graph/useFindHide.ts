'use client';

import { useDeferredValue, useMemo } from 'react';
import { applyFindHide, parseFindHide } from '@/lib/graph/find-hide';
import type { GraphResponse } from '@/lib/types/graph';

export interface FindHideView {
  /** ids the find expression highlights */
  found: ReadonlySet<string>;
  /** ids the hide expression removes (hide wins over find) */
  hidden: ReadonlySet<string>;
}

const NONE: FindHideView = { found: new Set(), hidden: new Set() };

/** The problem with an expression in words, or null when it parses (blank is fine). */
export function validateFindHide(text: string): string | null {
  if (text.trim() === '') return null;
  const result = parseFindHide(text);
  return result.ok ? null : result.error;
}

/**
 * Find and hide applied to the graph (lib/graph's Kiali-syntax evaluator). Deferred, so typing
 * stays responsive on big graphs while the canvas catches up.
 */
export function useFindHide(graph: GraphResponse | undefined, find: string, hide: string): FindHideView {
  const deferredFind = useDeferredValue(find);
  const deferredHide = useDeferredValue(hide);
  return useMemo(() => {
    if (!graph || (deferredFind.trim() === '' && deferredHide.trim() === '')) return NONE;
    const { found, hidden } = applyFindHide(graph, deferredFind, deferredHide);
    return { found, hidden };
  }, [graph, deferredFind, deferredHide]);
}
