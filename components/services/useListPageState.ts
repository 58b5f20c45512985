'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { type ListPageState, listPageSearch, parseListPageState } from '@/lib/services/params';

/** A list page's namespaces, filter and window, read from the URL; the setter replaces the URL. */
export function useListPageState(): [ListPageState, (patch: Partial<ListPageState>) => void] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const state = useMemo(() => parseListPageState(searchParams), [searchParams]);
  const update = useCallback(
    (patch: Partial<ListPageState>) => {
      const current = parseListPageState(new URLSearchParams(window.location.search));
      router.replace(`${pathname}${listPageSearch({ ...current, ...patch })}`, { scroll: false });
    },
    [pathname, router],
  );
  return [state, update];
}
