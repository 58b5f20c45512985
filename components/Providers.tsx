'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { isRetryable } from '@/lib/api-fetch';

/** Failed queries are retried at most this many times, and only when asking again can help. */
const MAX_RETRIES = 2;

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        /** milliseconds a cluster read counts as fresh (no refetch on remount within it) */
        staleTime: 15_000,
        /** milliseconds an unused query stays cached */
        gcTime: 5 * 60_000,
        retry: (failureCount, error) => failureCount < MAX_RETRIES && isRetryable(error),
        refetchOnWindowFocus: true,
        refetchOnReconnect: true,
        refetchIntervalInBackground: false,
      },
      mutations: { retry: false },
    },
  });
}

/** One QueryClient for the browser tab, created on first render and kept across navigations. */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
