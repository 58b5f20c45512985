'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { type ConfigPageState, configPageSearch, parseConfigPageState } from '@/lib/istio-config/params';

/** The config page's filters, read from the URL; the setter replaces the URL (no history entry per filter). */
export function useConfigPageState(): [ConfigPageState, (patch: Partial<ConfigPageState>) => void] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const state = useMemo(() => parseConfigPageState(searchParams), [searchParams]);
  const update = useCallback(
    (patch: Partial<ConfigPageState>) => {
      const search = configPageSearch({
        ...parseConfigPageState(new URLSearchParams(window.location.search)),
        ...patch,
      });
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
    },
    [pathname, router],
  );
  return [state, update];
}
