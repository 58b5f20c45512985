'use client';

import type { Core } from 'cytoscape';
import { useMemo } from 'react';
import type { GraphPageState } from '@/lib/graph-params';
import { withoutBoxes } from '@/lib/graph-view/boxes';
import type { GraphTheme } from '@/lib/graph-view/cytoscape-style';
import type { GraphHistory } from '@/lib/graph-view/history';
import { positionsKey } from '@/lib/graph-view/saved-positions';
import { toCytoscapeElements } from '@/lib/graph-view/to-cytoscape';
import type { GraphResponse } from '@/lib/types/graph';
import { GraphCanvas } from './GraphCanvas';
import { GraphSidePanel, type Selection } from './GraphSidePanel';
import { GraphTable } from './GraphTable';
import type { FindHideView } from './useFindHide';

/** Above this many elements the canvas trades detail for speed (research/performance.md §1). */
const LARGE_GRAPH_ELEMENTS = 1500;

export interface GraphWorkspaceProps {
  graph: GraphResponse;
  state: GraphPageState;
  theme: GraphTheme;
  findHide: FindHideView;
  history: GraphHistory;
  /** id prefix shared with the view tabs */
  panelId: string;
  onSelect: (id: string | null) => void;
  onReady: (cy: Core | null) => void;
}

function selectionOf(graph: GraphResponse, id: string): Selection | null {
  if (id === '') return null;
  const node = graph.nodes.find((candidate) => candidate.id === id);
  if (node) return { kind: 'node', node };
  const edge = graph.edges.find((candidate) => candidate.id === id);
  if (!edge) return null;
  const source = graph.nodes.find((candidate) => candidate.id === edge.source);
  const target = graph.nodes.find((candidate) => candidate.id === edge.target);
  return { kind: 'edge', edge, ...(source ? { source } : {}), ...(target ? { target } : {}) };
}

function describeGraph(graph: GraphResponse, large: boolean): string {
  const nodes = graph.nodes.filter((node) => !node.isBox).length;
  const boxes =
    large && graph.nodes.some((node) => node.isBox) ? ' App boxes are not drawn at this size.' : '';
  return `Traffic graph of ${graph.namespaces.join(', ')}: ${nodes} nodes and ${graph.edges.length} edges.${boxes} The Table tab lists the same numbers.`;
}

/** The canvas and the table (one shown, both kept so positions survive), and the side panel. */
export function GraphWorkspace({
  graph,
  state,
  theme,
  findHide,
  history,
  panelId,
  onSelect,
  onReady,
}: GraphWorkspaceProps) {
  const large = graph.nodes.length + graph.edges.length > LARGE_GRAPH_ELEMENTS;
  const elements = useMemo(
    () =>
      // Compound boxes dominate cytoscape's cost on big graphs: those are drawn without them.
      toCytoscapeElements(large ? withoutBoxes(graph) : graph, {
        edgeLabels: state.edgeLabels,
        found: findHide.found,
        hidden: findHide.hidden,
      }),
    [graph, large, state.edgeLabels, findHide],
  );
  const selection = useMemo(() => selectionOf(graph, state.selected), [graph, state.selected]);
  const empty = graph.nodes.every((node) => node.isBox);

  return (
    <div className={selection ? 'graph-workspace with-panel' : 'graph-workspace'}>
      <div
        role="tabpanel"
        id={`${panelId}-graph`}
        aria-labelledby={`${panelId}-graph-tab`}
        hidden={state.view !== 'graph'}
        className="graph-panel"
      >
        <GraphCanvas
          elements={elements}
          selectedId={state.selected}
          autoFit={state.autoFit}
          theme={theme}
          large={large}
          visible={state.view === 'graph' && !empty}
          description={describeGraph(graph, large)}
          positionsKey={positionsKey(state.graphType, state.namespaces)}
          onSelect={onSelect}
          onReady={onReady}
        />
      </div>
      <div
        role="tabpanel"
        id={`${panelId}-table`}
        aria-labelledby={`${panelId}-table-tab`}
        hidden={state.view !== 'table'}
        className="graph-panel"
      >
        {state.view === 'table' && (
          <GraphTable
            graph={graph}
            hidden={findHide.hidden}
            found={findHide.found}
            selectedId={state.selected}
            onSelect={onSelect}
          />
        )}
      </div>
      {selection && <GraphSidePanel selection={selection} history={history} onClose={() => onSelect(null)} />}
    </div>
  );
}
