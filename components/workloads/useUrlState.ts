'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { SearchParamsLike } from '@/lib/workloads/page-state';

type Pending<State> = { url: string; patch: Partial<State> };

/**
 * A page's state read from the URL with `parse`; the setter merges a patch into what the URL says
 * now and replaces it with `history.replaceState` (no history entry per filter, no server render), so the view stays bookmarkable. Changes show
 * at once, before the router has replaced the URL, and changes made in quick succession (a key,
 * then a click) all reach the URL, each merged into those still on their way.
 */
export function useUrlState<State>(
  parse: (params: SearchParamsLike) => State,
  serialize: (state: State) => string,
): [State, (patch: Partial<State>) => void] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const current = searchParams.toString();
  const pendingRef = useRef<Pending<State> | null>(null);
  const [pending, setPending] = useState<Pending<State> | null>(null);
  const state = useMemo(
    () => ({ ...parse(searchParams), ...(pending?.url === current ? pending.patch : {}) }),
    [parse, searchParams, pending, current],
  );
  const update = useCallback(
    (patch: Partial<State>) => {
      const url = window.location.search.replace(/^\?/, '');
      const previous = pendingRef.current;
      // Changes made on this URL that the router has not applied yet stay in the next one.
      const merged = { ...(previous?.url === url ? previous.patch : {}), ...patch };
      pendingRef.current = { url, patch: merged };
      setPending(pendingRef.current);
      const search = serialize({ ...parse(new URLSearchParams(url)), ...merged });
      // The History API, which Next's router follows (useSearchParams updates), without a server
      // round trip per filter: client-side state needs no new page render.
      window.history.replaceState(null, '', search ? `${pathname}?${search}` : pathname);
    },
    [parse, serialize, pathname],
  );
  return [state, update];
}
