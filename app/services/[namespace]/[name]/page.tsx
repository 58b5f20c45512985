import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { ServiceView } from '@/components/services/ServiceView';

type Params = Promise<{ namespace: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { namespace, name } = await params;
  return { title: `Service ${namespace}/${name}` };
}

/** One service: its traffic, config with findings, traffic split, neighbourhood and endpoints. */
export default async function ServicePage({ params }: { params: Params }) {
  const { namespace, name } = await params;
  return (
    <>
      <p className="muted">
        <Link href={`/services?namespaces=${encodeURIComponent(namespace)}`}>Services</Link> / {namespace}
      </p>
      <h1>
        Service {name} <span className="muted">in {namespace}</span>
      </h1>
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading the service…
          </p>
        }
      >
        <ServiceView namespace={namespace} name={name} />
      </Suspense>
    </>
  );
}
