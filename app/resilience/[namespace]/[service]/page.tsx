import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ResilienceView } from '@/components/resilience/ResilienceView';
import { parseResilienceQuery } from '@/lib/resilience/params';

type Params = Promise<{ namespace: string; service: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { namespace, service } = await params;
  return { title: `Resilience of ${service}.${namespace}` };
}

/** Circuit breakers, ejections, faults, timeouts and retries of one service. */
export default async function ServiceResiliencePage({ params }: { params: Params }) {
  const parsed = parseResilienceQuery(await params, new URLSearchParams());
  if (!parsed.ok)
    return (
      <p role="alert" className="banner banner-error">
        Not a service: {parsed.problems.join('; ')}
      </p>
    );
  const { namespace, service } = parsed.query;
  return (
    <>
      <h1>
        Resilience of {service}.{namespace}
      </h1>
      <Suspense fallback={<p className="muted">Loading…</p>}>
        <ResilienceView namespace={namespace} service={service} />
      </Suspense>
    </>
  );
}
