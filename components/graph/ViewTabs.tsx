'use client';

import type { GraphView } from '@/lib/graph-params';
import { Tabs } from '../Tabs';

const VIEWS = [
  { value: 'graph', label: 'Graph' },
  { value: 'table', label: 'Table' },
] as const satisfies readonly { value: GraphView; label: string }[];

export interface ViewTabsProps {
  view: GraphView;
  onChange: (view: GraphView) => void;
  /** id prefix of the tab panels (`${panelId}-graph`, `${panelId}-table`) */
  panelId: string;
}

/** Graph or table. */
export function ViewTabs({ view, onChange, panelId }: ViewTabsProps) {
  return <Tabs tabs={VIEWS} selected={view} onChange={onChange} label="Graph view" panelId={panelId} />;
}
