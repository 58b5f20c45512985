'use client';

import { useEffect, useRef } from 'react';
import { type GraphHistory, historyOf } from '@/lib/graph-view/history';
import { nodeTitle } from '@/lib/graph-view/labels';
import type { GraphEdge, GraphNode } from '@/lib/types/graph';
import { EdgeDetails } from './EdgeDetails';
import { NodeDetails } from './NodeDetails';

export type Selection =
  | { kind: 'node'; node: GraphNode }
  | { kind: 'edge'; edge: GraphEdge; source?: GraphNode; target?: GraphNode };

export interface GraphSidePanelProps {
  selection: Selection;
  history: GraphHistory;
  onClose: () => void;
}

function titleOf(selection: Selection): string {
  if (selection.kind === 'node') return nodeTitle(selection.node);
  const source = selection.source ? nodeTitle(selection.source) : selection.edge.source;
  const target = selection.target ? nodeTitle(selection.target) : selection.edge.target;
  return `${source} → ${target}`;
}

/** The selected node's or edge's numbers beside the graph; Escape or the button closes it. */
export function GraphSidePanel({ selection, history, onClose }: GraphSidePanelProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const shownId = useRef<string | null>(null);
  const id = selection.kind === 'node' ? selection.node.id : selection.edge.id;
  // A selection made on the page moves focus to its heading, so keyboard users land on what they
  // opened; one restored from the URL at load does not steal focus.
  useEffect(() => {
    if (shownId.current !== null && shownId.current !== id) headingRef.current?.focus();
    shownId.current = id;
  }, [id]);

  const title = titleOf(selection);
  return (
    <aside
      className="graph-side-panel"
      aria-label={`Details of ${title}`}
      data-testid="graph-side-panel"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <header>
        <p className="muted side-panel-kind">{selection.kind === 'node' ? 'Node' : 'Edge'}</p>
        <h2 ref={headingRef} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="button-quiet" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      {selection.kind === 'node' ? (
        <NodeDetails node={selection.node} history={historyOf(history, id)} />
      ) : (
        <EdgeDetails edge={selection.edge} history={historyOf(history, id)} />
      )}
    </aside>
  );
}
