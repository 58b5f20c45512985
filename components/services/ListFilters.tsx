'use client';

import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { apiFetch } from '@/lib/api-fetch';
import { DURATION_OPTIONS } from '@/lib/graph-params';
import { queryKeys } from '@/lib/query-keys';
import type { ListPageState } from '@/lib/services/params';
import type { NamespacesResponse } from '@/lib/types/namespace';
import { NamespaceSelect } from '../graph/NamespaceSelect';
import { ToolbarSelect } from '../graph/ToolbarSelect';

export interface ListFiltersProps {
  state: ListPageState;
  onChange: (patch: Partial<ListPageState>) => void;
  /** what the filter box matches, for its label (`Filter services`) */
  filterLabel: string;
}

/** Namespaces, a text filter and the rate window of a list page; all of it lives in the URL. */
export function ListFilters({ state, onChange, filterLabel }: ListFiltersProps) {
  const filterId = useId();
  const namespaces = useQuery({
    queryKey: queryKeys.namespaces.list(),
    queryFn: ({ signal }) => apiFetch<NamespacesResponse>('/api/namespaces', { signal }),
  });
  const durationValue = String(state.duration);
  const durationOptions: { value: string; label: string }[] = DURATION_OPTIONS.map((option) => ({
    value: String(option.seconds),
    label: option.label,
  }));
  if (!durationOptions.some((option) => option.value === durationValue))
    durationOptions.push({ value: durationValue, label: `${state.duration}s` });
  return (
    <div className="graph-toolbar list-filters">
      <NamespaceSelect
        options={(namespaces.data?.namespaces ?? []).map((namespace) => namespace.name)}
        selected={state.namespaces}
        loading={namespaces.isPending}
        onChange={(next) => onChange({ namespaces: next })}
      />
      <div className="toolbar-field">
        <label className="field-label" htmlFor={filterId}>
          {filterLabel}
        </label>
        <input
          id={filterId}
          type="search"
          value={state.filter}
          placeholder="name, namespace or host"
          onChange={(event) => onChange({ filter: event.target.value })}
        />
      </div>
      <ToolbarSelect
        label="Window"
        value={durationValue}
        options={durationOptions}
        onChange={(value) => onChange({ duration: Number(value) })}
      />
    </div>
  );
}
