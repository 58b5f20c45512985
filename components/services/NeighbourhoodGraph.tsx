'use client';

import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { toCytoscapeElements } from '@/lib/graph-view/to-cytoscape';
import { nodeHref } from '@/lib/services/href';
import type { ServiceNeighbourhood } from '@/lib/types/services';
import { EmptyState } from '../EmptyState';
import { GraphCanvas } from '../graph/GraphCanvas';
import { useGraphTheme } from '../graph/useGraphTheme';
import { NeighbourhoodTable } from './NeighbourhoodTable';

/**
 * The service's graph one hop in and out, read-only: the graph page's canvas and elements, the
 * service selected; clicking a node opens its page. The same nodes and edges are listed in tables
 * below for keyboards and screen readers.
 */
export function NeighbourhoodGraph({ neighbourhood }: { neighbourhood: ServiceNeighbourhood }) {
  const router = useRouter();
  const theme = useGraphTheme();
  const elements = useMemo(() => toCytoscapeElements(neighbourhood), [neighbourhood]);
  const byId = useMemo(() => new Map(neighbourhood.nodes.map((node) => [node.id, node])), [neighbourhood]);
  const handleSelect = (id: string | null) => {
    const node = id === null ? undefined : byId.get(id);
    const href = node && node.id !== neighbourhood.focus ? nodeHref(node) : undefined;
    if (href) router.push(href);
  };
  if (neighbourhood.nodes.length === 0) {
    return (
      <EmptyState title="No neighbourhood to draw">
        <p>
          The graph has no node for this service: nothing called it in the window and no workload backs it.
          Widen the window or check that its pods run.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="service-neighbourhood">
      <GraphCanvas
        elements={elements}
        selectedId={neighbourhood.focus}
        autoFit
        theme={theme}
        large={false}
        visible
        description={`Neighbourhood graph: ${neighbourhood.nodes.length} nodes and ${neighbourhood.edges.length} edges around the service. The tables below list them.`}
        onSelect={handleSelect}
        onReady={() => undefined}
      />
      <NeighbourhoodTable neighbourhood={neighbourhood} />
    </div>
  );
}
