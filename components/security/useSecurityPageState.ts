'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import {
  parseSecurityPageState,
  type SecurityPageState,
  securityPageSearch,
} from '@/lib/security/page-params';

/** The security page's state, read from the URL; the setter replaces the URL (no history entry per keystroke). */
export function useSecurityPageState(): [SecurityPageState, (patch: Partial<SecurityPageState>) => void] {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const state = useMemo(() => parseSecurityPageState(searchParams), [searchParams]);
  const update = useCallback(
    (patch: Partial<SecurityPageState>) => {
      const search = securityPageSearch({
        ...parseSecurityPageState(new URLSearchParams(window.location.search)),
        ...patch,
      });
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
    },
    [pathname, router],
  );
  return [state, update];
}
