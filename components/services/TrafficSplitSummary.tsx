import Link from 'next/link';
import { trafficSplitHref } from '@/lib/traffic-split/href';
import { destinationLabel, routeLabel } from '@/lib/traffic-split/routes';
import type { ServiceTrafficSplit } from '@/lib/types/services';

/**
 * The routes of the VirtualServices that send to the service, with their weights, and the way into
 * the traffic-split editor for each VirtualService.
 */
export function TrafficSplitSummary({ splits }: { splits: readonly ServiceTrafficSplit[] }) {
  if (splits.length === 0) {
    return (
      <p className="muted" data-testid="traffic-split-empty">
        No VirtualService routes to this service, so there is no split to edit. Create one on the{' '}
        <Link href="/config">Istio config</Link> page to shift traffic between versions.
      </p>
    );
  }
  return (
    <div className="service-splits">
      {splits.map((split) => (
        <section
          key={`${split.namespace}/${split.name}`}
          aria-label={`Traffic split of VirtualService ${split.name}`}
        >
          <h3>
            VirtualService {split.namespace}/{split.name}
          </h3>
          {split.routes.map((route) => (
            <div key={`${route.protocol}:${route.index}`}>
              <p>
                {routeLabel(route)}
                {route.match.length > 0 ? <span className="muted"> — {route.match.join('; ')}</span> : null}
              </p>
              <ul>
                {route.destinations.map((destination) => (
                  <li key={destinationLabel(destination)}>
                    {destinationLabel(destination)}: <strong>{destination.weight}%</strong>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <Link className="button-link" href={trafficSplitHref(split.namespace, split.name)}>
            {split.weighted ? 'Edit traffic split' : 'Split traffic'} of {split.name}
          </Link>
        </section>
      ))}
    </div>
  );
}
