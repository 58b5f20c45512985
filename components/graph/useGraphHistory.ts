'use client';

import { useMemo, useRef } from 'react';
import { appendToHistory, EMPTY_HISTORY, type GraphHistory } from '@/lib/graph-view/history';
import type { GraphResponse } from '@/lib/types/graph';

/**
 * The last minutes of each node's and edge's numbers, from the graphs this page has fetched.
 * Starts over when the graph's shape (namespaces, type, window) changes: `scope` names it.
 * Recorded while rendering the graph that brings them (appending is idempotent, one pass over the
 * graph), so a refresh renders once.
 */
export function useGraphHistory(graph: GraphResponse | undefined, scope: string): GraphHistory {
  const recorded = useRef<{ scope: string; history: GraphHistory }>({ scope, history: EMPTY_HISTORY });
  return useMemo(() => {
    const base = recorded.current.scope === scope ? recorded.current.history : EMPTY_HISTORY;
    const history = graph === undefined ? base : appendToHistory(base, graph);
    recorded.current = { scope, history };
    return history;
  }, [graph, scope]);
}
