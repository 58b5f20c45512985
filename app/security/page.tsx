import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SecurityExplorer } from '@/components/security/SecurityExplorer';

export const metadata: Metadata = { title: 'Security' };

/**
 * Effective mTLS, authorization policies and the what-if check. The state (namespaces, tab,
 * workload, what-if question) is the URL, read on the client with lib/security/page-params.
 */
export default function SecurityPage() {
  return (
    <>
      <h1>Security</h1>
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading the security views…
          </p>
        }
      >
        <SecurityExplorer />
      </Suspense>
    </>
  );
}
