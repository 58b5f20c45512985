import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TrafficSplitHistory } from '@/components/traffic-split/TrafficSplitHistory';
import { TrafficSplitView } from '@/components/traffic-split/TrafficSplitView';
import { parseTrafficSplitPath } from '@/lib/traffic-split/schema';

type Params = Promise<{ namespace: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { namespace, name } = await params;
  return { title: `Traffic split ${namespace}/${name}` };
}

/** The traffic-split editor of one VirtualService, and the history of its changes. */
export default async function TrafficSplitPage({ params }: { params: Params }) {
  const parsed = parseTrafficSplitPath(await params);
  if (!parsed.ok) notFound();
  const { namespace, name } = parsed.value;
  return (
    <>
      <p className="breadcrumbs">
        <Link href="/traffic-split">Traffic splits</Link>
      </p>
      <h1>
        Traffic split: {namespace}/{name}
      </h1>
      <TrafficSplitView namespace={namespace} name={name} />
      <TrafficSplitHistory namespace={namespace} name={name} />
    </>
  );
}
