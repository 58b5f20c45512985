import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ResilienceList } from '@/components/resilience/ResilienceList';

export const metadata: Metadata = { title: 'Resilience' };

/** Circuit breakers and outlier ejections of the services in the selected namespaces. */
export default function ResiliencePage() {
  return (
    <>
      <h1>Resilience</h1>
      <p className="muted">
        Circuit breakers (connection-pool limits and outlier detection) of each service, and how many of its
        pods its callers’ proxies have ejected right now. Open a service for its pods, history and editors.
      </p>
      <Suspense fallback={<p className="muted">Loading…</p>}>
        <ResilienceList />
      </Suspense>
    </>
  );
}
