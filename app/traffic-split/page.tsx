import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { TrafficSplitList } from '@/components/traffic-split/TrafficSplitList';
import { trafficSplitHref } from '@/lib/traffic-split/href';
import { parseTrafficSplitListQuery } from '@/lib/traffic-split/schema';
import { asPageCaller } from '@/server/auth/page';
import { listTrafficSplits, trafficSplitContext } from '@/server/traffic-split';

export const metadata: Metadata = { title: 'Traffic splits' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The one VirtualService routing a service, if exactly one does; a failure only means no shortcut. */
async function onlyVirtualServiceRouting(namespace: string, service: string) {
  try {
    const routing = await asPageCaller(() =>
      listTrafficSplits(trafficSplitContext(), { namespace, service }),
    );
    return routing.items.length === 1 ? routing.items[0] : undefined;
  } catch {
    // The list below asks again and shows the failure.
    return undefined;
  }
}

/**
 * VirtualServices with weighted routes. With `?namespace=&service=` (the link from a service or
 * the graph) it opens the editor directly when exactly one VirtualService routes that service.
 */
export default async function TrafficSplitsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const query = parseTrafficSplitListQuery({
    get: (key) => (typeof params[key] === 'string' ? params[key] : null),
  });
  if (query.namespace !== undefined && query.service !== undefined) {
    const only = await onlyVirtualServiceRouting(query.namespace, query.service);
    if (only) redirect(trafficSplitHref(only.namespace, only.name));
  }
  return (
    <>
      <h1>Traffic splits</h1>
      <p className="muted">
        VirtualServices that split a route's traffic between destinations. Open one to move its weights.
      </p>
      <TrafficSplitList
        {...(query.namespace !== undefined ? { namespace: query.namespace } : {})}
        {...(query.service !== undefined ? { service: query.service } : {})}
        all={query.all}
      />
    </>
  );
}
