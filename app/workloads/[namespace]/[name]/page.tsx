import type { Metadata } from 'next';
import { Suspense } from 'react';
import { WorkloadDetail } from '@/components/workloads/WorkloadDetail';

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
  const { namespace, name } = await params;
  return (
    <Suspense
      fallback={
        <p role="status" className="muted">
          Loading {name}…
        </p>
      }
    >
      <WorkloadDetail namespace={decodeURIComponent(namespace)} name={decodeURIComponent(name)} />
    </Suspense>
  );
}
