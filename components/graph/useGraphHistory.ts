'use client';

import { useEffect, useState } from 'react';
import { appendToHistory, type GraphHistory } from '@/lib/graph-view/history';
import type { GraphResponse } from '@/lib/types/graph';

const EMPTY: GraphHistory = new Map();

/**
 * The last minutes of each node's and edge's numbers, from the graphs this page has fetched.
 * Starts over when the graph's shape (namespaces, type, window) changes: `scope` names it.
 */
export function useGraphHistory(graph: GraphResponse | undefined, scope: string): GraphHistory {
  const [recorded, setRecorded] = useState<{ scope: string; history: GraphHistory }>({
    scope,
    history: EMPTY,
  });
  useEffect(() => {
    if (graph === undefined) return;
    setRecorded((previous) => ({
      scope,
      history: appendToHistory(previous.scope === scope ? previous.history : EMPTY, graph),
    }));
  }, [graph, scope]);
  return recorded.scope === scope ? recorded.history : EMPTY;
}
