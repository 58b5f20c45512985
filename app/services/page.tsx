import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ServicesExplorer } from '@/components/services/ServicesExplorer';

export const metadata: Metadata = { title: 'Services' };

/** Every Service with health, traffic, sidecars and the Istio config that applies; filters in the URL. */
export default function ServicesPage() {
  return (
    <>
      <h1>Services</h1>
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading services…
          </p>
        }
      >
        <ServicesExplorer />
      </Suspense>
    </>
  );
}
