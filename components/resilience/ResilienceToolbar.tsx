'use client';

import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/lib/api-fetch';
import { REFRESH_OPTIONS, type RefreshSetting } from '@/lib/graph-params';
import { queryKeys } from '@/lib/query-keys';
import {
  RESILIENCE_WINDOWS,
  type ResiliencePageState,
  type ResilienceWindow,
} from '@/lib/resilience/page-params';
import type { NamespacesResponse } from '@/lib/types/namespace';
import { NamespaceSelect } from '../graph/NamespaceSelect';
import { ToolbarSelect } from '../graph/ToolbarSelect';

export interface ResilienceToolbarProps {
  state: ResiliencePageState;
  onChange: (patch: Partial<ResiliencePageState>) => void;
  /** the list page picks namespaces; a service page does not */
  withNamespaces: boolean;
}

/** Namespaces, history window and refresh interval, all kept in the URL. */
export function ResilienceToolbar({ state, onChange, withNamespaces }: ResilienceToolbarProps) {
  const namespaces = useQuery({
    queryKey: queryKeys.namespaces.list(),
    queryFn: ({ signal }) => apiFetch<NamespacesResponse>('/api/namespaces', { signal }),
    enabled: withNamespaces,
  });
  return (
    <div className="graph-toolbar resilience-toolbar">
      {withNamespaces && (
        <NamespaceSelect
          options={namespaces.data?.namespaces.map((item) => item.name) ?? []}
          selected={state.namespaces}
          loading={namespaces.isPending}
          onChange={(next) => onChange({ namespaces: next.length > 0 ? next : state.namespaces })}
        />
      )}
      <ToolbarSelect<ResilienceWindow>
        label="History window"
        value={state.duration}
        options={RESILIENCE_WINDOWS.map((option) => ({ value: option.value, label: `Last ${option.value}` }))}
        onChange={(duration) => onChange({ duration })}
      />
      <ToolbarSelect<RefreshSetting>
        label="Refresh"
        value={state.refresh}
        options={REFRESH_OPTIONS.map((option) => ({ value: option.value, label: option.label }))}
        onChange={(refresh) => onChange({ refresh })}
      />
    </div>
  );
}
