'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import type { SearchParamsLike } from '@/lib/workloads/page-state';

/**
 * A page's state read from the URL with `parse`; the setter merges a patch into what the URL says
 * now and replaces it (no history entry per filter), so the view stays bookmarkable. The patch
 * shows at once, before the router has replaced the URL, so controls never lag a click or a key.
 */
export function useUrlState<State>(
  parse: (params: SearchParamsLike) => State,
  serialize: (state: State) => string,
): [State, (patch: Partial<State>) => void] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const current = searchParams.toString();
  /** changes not yet in the URL, against the URL they were made on */
  const [pending, setPending] = useState<{ url: string; patch: Partial<State> } | null>(null);
  const state = useMemo(
    () => ({ ...parse(searchParams), ...(pending?.url === current ? pending.patch : {}) }),
    [parse, searchParams, pending, current],
  );
  const update = useCallback(
    (patch: Partial<State>) => {
      const url = window.location.search.replace(/^\?/, '');
      setPending((previous) => ({
        url,
        patch: { ...(previous?.url === url ? previous.patch : {}), ...patch },
      }));
      const search = serialize({ ...parse(new URLSearchParams(url)), ...patch });
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
    },
    [parse, serialize, pathname, router],
  );
  return [state, update];
}
