'use client';

import Link from 'next/link';
import { trafficSplitHref } from '@/lib/traffic-split/href';
import { destinationLabel } from '@/lib/traffic-split/routes';
import type { TrafficSplitSummary } from '@/lib/types/traffic-split';
import { type Column, DataTable } from '../DataTable';
import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { asApiError, useTrafficSplitList } from './useTrafficSplit';

function splitText(item: TrafficSplitSummary): string {
  return item.routes
    .map((route) => route.destinations.map((d) => `${destinationLabel(d)} ${d.weight}%`).join(' · '))
    .join(' | ');
}

const columns: Column<TrafficSplitSummary>[] = [
  {
    id: 'name',
    label: 'VirtualService',
    value: (item) => `${item.namespace}/${item.name}`,
    render: (item) => (
      <Link href={trafficSplitHref(item.namespace, item.name)}>
        {item.namespace}/{item.name}
      </Link>
    ),
    isRowHeader: true,
  },
  { id: 'hosts', label: 'Hosts', value: (item) => item.hosts.join(', ') },
  { id: 'gateways', label: 'Gateways', value: (item) => item.gateways.join(', ') || 'mesh' },
  { id: 'split', label: 'Weights', value: splitText },
];

export interface TrafficSplitListProps {
  namespace?: string;
  service?: string;
  all: boolean;
}

/** VirtualServices with weighted routes (or all of them), each linking to its editor. */
export function TrafficSplitList({ namespace, service, all }: TrafficSplitListProps) {
  const query = useTrafficSplitList({
    ...(namespace !== undefined ? { namespace } : {}),
    ...(service !== undefined ? { service } : {}),
    all,
  });
  const allHref = `/traffic-split?${new URLSearchParams({
    ...(namespace ? { namespace } : {}),
    ...(all ? {} : { all: 'true' }),
  }).toString()}`;
  return (
    <>
      <p>
        <Link href={allHref}>
          {all ? 'Show only VirtualServices with a split' : 'Show every VirtualService'}
        </Link>
      </p>
      {query.isPending && (
        <p role="status" className="muted">
          Loading VirtualServices…
        </p>
      )}
      {query.error && (
        <ErrorBanner
          error={asApiError(query.error)}
          {...(query.data ? { staleSince: query.dataUpdatedAt } : {})}
          retrying={query.isFetching}
          onRetry={() => void query.refetch()}
        />
      )}
      {query.data?.warnings.map((warning) => (
        <p key={`${warning.source}:${warning.message}`} role="status" className="banner banner-warning">
          {warning.source}: {warning.message}
        </p>
      ))}
      {query.data && query.data.items.length === 0 && (
        <EmptyState title={service ? `No VirtualService routes ${service}` : 'No traffic splits'}>
          <p>
            {service
              ? `No VirtualService in the mesh has ${service}.${namespace} among its hosts. Create one to split its traffic between versions.`
              : 'No VirtualService here sends a route to more than one destination. Open any VirtualService from the full list to add a destination to its route.'}
          </p>
        </EmptyState>
      )}
      {query.data && query.data.items.length > 0 && (
        <DataTable
          label={all ? 'VirtualServices' : 'VirtualServices with weighted routes'}
          columns={columns}
          rows={query.data.items}
          rowKey={(item) => `${item.namespace}/${item.name}`}
          testId="traffic-split-list"
        />
      )}
    </>
  );
}
