import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { WorkloadDetail } from '@/components/workloads/WorkloadDetail';
import { decodeSegment } from '@/lib/navigation-target';

type Params = { namespace: string; name: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { namespace, name } = await params;
  return { title: `${name} · ${namespace} · Workloads` };
}

/**
 * One workload: pods and their sidecar injection, inbound and outbound traffic charts, the Envoy
 * proxy config of a pod and its access log. The window, refresh, pod, tab and filters are the URL.
 */
export default async function WorkloadPage({ params }: { params: Promise<Params> }) {
  const raw = await params;
  const namespace = decodeSegment(raw.namespace);
  const name = decodeSegment(raw.name);
  if (namespace === undefined || name === undefined) notFound();
  return (
    <Suspense
      fallback={
        <p role="status" className="muted">
          Loading {name}…
        </p>
      }
    >
      <WorkloadDetail namespace={namespace} name={name} />
    </Suspense>
  );
}
