'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import {
  parseResiliencePageState,
  type ResiliencePageState,
  resiliencePageSearch,
} from '@/lib/resilience/page-params';

/**
 * The resilience pages' state from the URL, and a setter that rewrites the URL with the History
 * API (Next follows it without a server round trip); the written state shows until the router
 * has caught up.
 */
export function useResilienceUrlState(): [
  ResiliencePageState,
  (patch: Partial<ResiliencePageState>) => void,
] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const fromUrl = useMemo(() => parseResiliencePageState(searchParams), [searchParams]);
  const [pending, setPending] = useState<ResiliencePageState | null>(null);
  const current = searchParams.toString();
  const [seen, setSeen] = useState(current);
  if (seen !== current) {
    setSeen(current);
    setPending(null);
  }
  const update = useCallback(
    (patch: Partial<ResiliencePageState>) => {
      const next = { ...parseResiliencePageState(new URLSearchParams(window.location.search)), ...patch };
      setPending(next);
      window.history.replaceState(null, '', `${pathname}?${resiliencePageSearch(next)}`);
    },
    [pathname],
  );
  return [pending ?? fromUrl, update];
}
