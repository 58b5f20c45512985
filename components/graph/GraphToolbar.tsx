'use client';

import {
  DURATION_OPTIONS,
  EDGE_LABEL_OPTIONS,
  formatDurationParam,
  GRAPH_TYPE_LABELS,
  GRAPH_TYPES,
  type GraphPageState,
  REFRESH_OPTIONS,
} from '@/lib/graph-params';
import { NamespaceSelect } from './NamespaceSelect';
import { ToolbarSelect } from './ToolbarSelect';
import type { UpdateGraphState } from './useGraphUrlState';

export interface GraphToolbarProps {
  state: GraphPageState;
  onUpdate: UpdateGraphState;
  namespaceOptions: readonly string[];
  namespacesLoading: boolean;
  /** a graph request is in flight */
  fetching: boolean;
  onRefresh: () => void;
}

const GRAPH_TYPE_OPTIONS = GRAPH_TYPES.map((type) => ({ value: type, label: GRAPH_TYPE_LABELS[type] }));
const DURATION_SELECT_OPTIONS = DURATION_OPTIONS.map((option) => ({
  value: formatDurationParam(option.seconds),
  label: `Last ${option.label}`,
}));

/** What the graph shows and how: every control writes the URL, so the view is bookmarkable. */
export function GraphToolbar({
  state,
  onUpdate,
  namespaceOptions,
  namespacesLoading,
  fetching,
  onRefresh,
}: GraphToolbarProps) {
  const push = { history: 'push' } as const;
  return (
    <section className="graph-toolbar" aria-label="Graph settings">
      <NamespaceSelect
        options={namespaceOptions}
        selected={state.namespaces}
        loading={namespacesLoading}
        onChange={(namespaces) => onUpdate({ namespaces, selected: '' }, push)}
      />
      <ToolbarSelect
        label="Graph type"
        value={state.graphType}
        options={GRAPH_TYPE_OPTIONS}
        onChange={(graphType) => onUpdate({ graphType, selected: '' }, push)}
      />
      <ToolbarSelect
        label="Time window"
        value={formatDurationParam(state.duration)}
        options={DURATION_SELECT_OPTIONS}
        onChange={(value) => {
          const option = DURATION_OPTIONS.find(
            (candidate) => formatDurationParam(candidate.seconds) === value,
          );
          if (option) onUpdate({ duration: option.seconds }, push);
        }}
      />
      <ToolbarSelect
        label="Auto-refresh"
        value={state.refresh}
        options={REFRESH_OPTIONS}
        onChange={(refresh) => onUpdate({ refresh })}
      />
      <ToolbarSelect
        label="Edge labels"
        value={state.edgeLabels}
        options={EDGE_LABEL_OPTIONS}
        onChange={(edgeLabels) => onUpdate({ edgeLabels })}
      />
      <div className="toolbar-checks">
        <label>
          <input
            type="checkbox"
            checked={state.idle}
            onChange={(event) => onUpdate({ idle: event.target.checked })}
          />{' '}
          Idle nodes and edges
        </label>
        <label>
          <input
            type="checkbox"
            checked={state.autoFit}
            onChange={(event) => onUpdate({ autoFit: event.target.checked })}
          />{' '}
          Auto-fit
        </label>
      </div>
      <button
        type="button"
        className="toolbar-refresh"
        onClick={onRefresh}
        disabled={state.namespaces.length === 0 || fetching}
        aria-busy={fetching}
      >
        {fetching ? 'Refreshing…' : 'Refresh'}
      </button>
    </section>
  );
}
