'use client';

import { EmptyState } from '../EmptyState';
import { ErrorBanner } from '../ErrorBanner';
import { TrafficSplitEditor } from './TrafficSplitEditor';
import { asApiError, useTrafficSplit } from './useTrafficSplit';

/** Reads a VirtualService's split and shows its editor; a failure is a banner, never a blank page. */
export function TrafficSplitView({ namespace, name }: { namespace: string; name: string }) {
  const query = useTrafficSplit(namespace, name);
  if (query.isPending) {
    return (
      <p role="status" className="muted">
        Loading VirtualService {namespace}/{name}…
      </p>
    );
  }
  if (!query.data) {
    const error = asApiError(query.error);
    if (error.status === 404) {
      return (
        <EmptyState title="No such VirtualService">
          <p>
            There is no VirtualService {name} in namespace {namespace}, or Meshscope's identity may not read
            it. The list of traffic splits shows the ones there are.
          </p>
        </EmptyState>
      );
    }
    return <ErrorBanner error={error} retrying={query.isFetching} onRetry={() => void query.refetch()} />;
  }
  return (
    <>
      {query.error && (
        <ErrorBanner
          error={asApiError(query.error)}
          staleSince={query.dataUpdatedAt}
          retrying={query.isFetching}
          onRetry={() => void query.refetch()}
        />
      )}
      <TrafficSplitEditor key={`${namespace}/${name}`} split={query.data} />
    </>
  );
}
