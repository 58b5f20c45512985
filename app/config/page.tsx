import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ConfigExplorer } from '@/components/config/ConfigExplorer';

export const metadata: Metadata = { title: 'Istio config' };

/**
 * Every Istio object with its validation findings. The filters (kind, namespace, severity) are
 * the URL, read on the client with lib/istio-config/params' schema.
 */
export default function ConfigPage() {
  return (
    <>
      <h1>Istio config</h1>
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading the Istio configuration…
          </p>
        }
      >
        <ConfigExplorer />
      </Suspense>
    </>
  );
}
