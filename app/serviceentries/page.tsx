import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { ServiceEntriesExplorer } from '@/components/gateways/ServiceEntriesExplorer';

export const metadata: Metadata = { title: 'Service entries' };

/** External hosts the mesh knows (ServiceEntries) and calls that left it without one. */
export default function ServiceEntriesPage() {
  return (
    <>
      <h1>Service entries</h1>
      <p className="muted">
        External hosts the mesh calls. For traffic entering the mesh, see{' '}
        <Link href="/gateways">gateways</Link>.
      </p>
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading service entries…
          </p>
        }
      >
        <ServiceEntriesExplorer />
      </Suspense>
    </>
  );
}
