'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { type GraphPageState, graphPageSearch, parseGraphPageState } from '@/lib/graph-params';

export interface UpdateOptions {
  /**
   * `push` adds a history entry (a different view: namespaces, graph type, window); `replace`
   * rewrites the current one (typing in find/hide, selecting, toggles).
   */
  history: 'push' | 'replace';
}

export type UpdateGraphState = (patch: Partial<GraphPageState>, options?: UpdateOptions) => void;

/**
 * The graph page's state, read from the URL once per URL change, and a setter that writes the URL
 * with the History API: Next's router follows `pushState`/`replaceState` (useSearchParams updates)
 * without a server round trip. Until the router has caught up, the written state is shown, so a
 * checkbox or select never flicks back for a frame.
 */
export function useGraphUrlState(): [GraphPageState, UpdateGraphState] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const fromUrl = useMemo(() => parseGraphPageState(searchParams), [searchParams]);
  const [pending, setPending] = useState<GraphPageState | null>(null);
  // Any change of the URL (ours arriving, or back/forward) ends the wait.
  const current = searchParams.toString();
  const [seen, setSeen] = useState(current);
  if (seen !== current) {
    setSeen(current);
    setPending(null);
  }

  const update = useCallback<UpdateGraphState>(
    (patch, options = { history: 'replace' }) => {
      // Read the URL at call time, so that two updates in one event both land.
      const next = { ...parseGraphPageState(new URLSearchParams(window.location.search)), ...patch };
      setPending(next);
      const url = `${pathname}?${graphPageSearch(next)}`;
      if (options.history === 'push') window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    },
    [pathname],
  );
  return [pending ?? fromUrl, update];
}
