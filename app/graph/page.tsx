import type { Metadata } from 'next';
import { Suspense } from 'react';
import { GraphExplorer } from '@/components/graph/GraphExplorer';

export const metadata: Metadata = { title: 'Graph' };

/**
 * The traffic graph. Its state is the URL (namespaces, graph type, window, refresh, labels,
 * find/hide, selection), read on the client with lib/graph-params' schema; the Suspense boundary
 * keeps the page's shell static while the client reads the query string.
 */
export default function GraphPage() {
  return (
    <>
      <h1>Traffic graph</h1>
      <Suspense
        fallback={
          <p role="status" className="muted">
            Loading the graph…
          </p>
        }
      >
        <GraphExplorer />
      </Suspense>
    </>
  );
}
