import type { Metadata } from 'next';
import { Suspense } from 'react';
import { WorkloadsExplorer } from '@/components/workloads/WorkloadsExplorer';

export const metadata: Metadata = { title: 'Workloads' };

/**
 * Every workload with health, rates, p95, sidecar state and the Istio config that applies. The
 * namespaces, window, refresh and filters are the URL, read on the client.
 */
export default function WorkloadsPage() {
  return (
    <>
      <h1>Workloads</h1>
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading workloads…
          </p>
        }
      >
        <WorkloadsExplorer />
      </Suspense>
    </>
  );
}
