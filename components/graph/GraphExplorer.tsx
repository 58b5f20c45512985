'use client';

import { useQuery } from '@tanstack/react-query';
import type { Core } from 'cytoscape';
import { useCallback, useEffect, useId, useMemo, useRef } from 'react';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { graphQueryOf, graphQueryString } from '@/lib/graph-params';
import { queryKeys } from '@/lib/query-keys';
import type { GraphResponse } from '@/lib/types/graph';
import type { NamespacesResponse } from '@/lib/types/namespace';
import { ErrorBanner } from '../ErrorBanner';
import { DataAge } from './DataAge';
import { FindHideBar } from './FindHideBar';
import { GraphEmptyState } from './GraphEmptyState';
import { GraphExportButtons } from './GraphExportButtons';
import { GraphLegend } from './GraphLegend';
import { GraphToolbar } from './GraphToolbar';
import { GraphWarnings } from './GraphWarnings';
import { GraphWorkspace } from './GraphWorkspace';
import { useFindHide, validateFindHide } from './useFindHide';
import { useGraphData } from './useGraphData';
import { useGraphHistory } from './useGraphHistory';
import { useGraphTheme } from './useGraphTheme';
import { useGraphUrlState } from './useGraphUrlState';
import { ViewTabs } from './ViewTabs';

function asApiError(error: Error): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);
}

function isEmpty(graph: GraphResponse): boolean {
  return graph.nodes.every((node) => node.isBox);
}

/**
 * The graph page: settings from the URL, the graph polled from `/api/graph`, find/hide applied
 * in the browser, and the canvas or table with the side panel of the selection.
 */
export function GraphExplorer() {
  const [state, update] = useGraphUrlState();
  const panelId = useId();
  const theme = useGraphTheme();
  const cyRef = useRef<Core | null>(null);
  const namespacesQuery = useQuery({
    queryKey: queryKeys.namespaces.list(),
    queryFn: ({ signal }) => apiFetch<NamespacesResponse>('/api/namespaces', { signal }),
  });
  const graphQuery = useGraphData(state);
  const graph = graphQuery.data;
  const current = graphQuery.isPlaceholderData ? undefined : graph;
  const history = useGraphHistory(current, graphQueryString(graphQueryOf(state)));
  // Load the canvas's library while the first graph is being fetched, not after it arrived.
  useEffect(() => {
    void import('cytoscape');
  }, []);
  const findHide = useFindHide(graph, state.find, state.hide);

  const namespaceOptions = useMemo(
    () => namespacesQuery.data?.namespaces.map((namespace) => namespace.name) ?? [],
    [namespacesQuery.data],
  );
  const handleFind = useCallback((find: string) => update({ find }), [update]);
  const handleHide = useCallback((hide: string) => update({ hide }), [update]);
  const handleSelect = useCallback((id: string | null) => update({ selected: id ?? '' }), [update]);
  const handleReady = useCallback((cy: Core | null) => {
    cyRef.current = cy;
  }, []);
  const handleRefresh = () => void graphQuery.refetch();

  const noNamespaces = state.namespaces.length === 0;
  const emptyReason = noNamespaces
    ? 'no-namespaces'
    : graph && isEmpty(graph)
      ? 'no-traffic'
      : graph?.nodes.every((node) => node.isBox || findHide.hidden.has(node.id))
        ? 'all-hidden'
        : null;

  return (
    <div className="graph-page">
      <GraphToolbar
        state={state}
        onUpdate={update}
        namespaceOptions={namespaceOptions}
        namespacesLoading={namespacesQuery.isPending}
        fetching={graphQuery.isFetching}
        onRefresh={handleRefresh}
      />
      <FindHideBar
        find={state.find}
        hide={state.hide}
        onFindChange={handleFind}
        onHideChange={handleHide}
        validate={validateFindHide}
        summary={graph ? { found: findHide.found.size, hidden: findHide.hidden.size } : null}
      />
      {graphQuery.error && (
        <ErrorBanner
          error={asApiError(graphQuery.error)}
          staleSince={graph ? graphQuery.dataUpdatedAt : undefined}
          retrying={graphQuery.isFetching}
          onRetry={handleRefresh}
        />
      )}
      {graph && (
        <GraphWarnings warnings={graph.warnings} builtAt={graph.timestamp} now={graphQuery.dataUpdatedAt} />
      )}
      <div className="graph-statusbar">
        <ViewTabs view={state.view} onChange={(view) => update({ view })} panelId={panelId} />
        {graph && (
          <DataAge
            timestamp={graph.timestamp}
            telemetry={graph.telemetry}
            refreshing={graphQuery.isFetching}
          />
        )}
        {graph && (
          <GraphExportButtons graph={graph} getCy={() => cyRef.current} background={theme.background} />
        )}
      </div>
      {!noNamespaces && graphQuery.isPending && (
        <div role="status" className="graph-loading" data-testid="graph-loading">
          <progress aria-label="Loading the graph" /> Loading the graph of {state.namespaces.join(', ')}…
        </div>
      )}
      {emptyReason !== null && (
        <GraphEmptyState
          reason={emptyReason}
          namespaces={state.namespaces}
          duration={state.duration}
          idle={state.idle}
          degraded={(graph?.warnings.length ?? 0) > 0}
          onShowIdle={() => update({ idle: true })}
          onClearHide={() => update({ hide: '' })}
        />
      )}
      {graph && !noNamespaces && (
        <GraphWorkspace
          graph={graph}
          state={state}
          theme={theme}
          findHide={findHide}
          history={history}
          panelId={panelId}
          onSelect={handleSelect}
          onReady={handleReady}
        />
      )}
      <GraphLegend />
    </div>
  );
}
