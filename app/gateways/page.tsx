import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { GatewaysExplorer } from '@/components/gateways/GatewaysExplorer';

export const metadata: Metadata = { title: 'Gateways' };

/** Istio Gateways: servers, the workload each selects, bound VirtualServices, traffic entering. */
export default function GatewaysPage() {
  return (
    <>
      <h1>Gateways</h1>
      <p className="muted">
        How traffic enters the mesh. For external hosts the mesh calls, see{' '}
        <Link href="/serviceentries">service entries</Link>.
      </p>
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading gateways…
          </p>
        }
      >
        <GatewaysExplorer />
      </Suspense>
    </>
  );
}
