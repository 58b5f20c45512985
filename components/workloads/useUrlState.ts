'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import type { SearchParamsLike } from '@/lib/workloads/page-state';

/**
 * A page's state read from the URL with `parse`; the setter merges a patch into what the URL says
 * now and replaces it (no history entry per filter), so the view stays bookmarkable.
 */
export function useUrlState<State>(
  parse: (params: SearchParamsLike) => State,
  serialize: (state: State) => string,
): [State, (patch: Partial<State>) => void] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const state = useMemo(() => parse(searchParams), [parse, searchParams]);
  const update = useCallback(
    (patch: Partial<State>) => {
      const search = serialize({ ...parse(new URLSearchParams(window.location.search)), ...patch });
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
    },
    [parse, serialize, pathname, router],
  );
  return [state, update];
}
