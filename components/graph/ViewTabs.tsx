'use client';

import { type KeyboardEvent, useRef } from 'react';
import type { GraphView } from '@/lib/graph-params';

const VIEWS: readonly { value: GraphView; label: string }[] = [
  { value: 'graph', label: 'Graph' },
  { value: 'table', label: 'Table' },
];

export interface ViewTabsProps {
  view: GraphView;
  onChange: (view: GraphView) => void;
  /** id prefix of the tab panels (`${panelId}-graph`, `${panelId}-table`) */
  panelId: string;
}

/** Graph or table: ARIA tabs, arrow keys move between them. */
export function ViewTabs({ view, onChange, panelId }: ViewTabsProps) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const handleKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = VIEWS.findIndex((item) => item.value === view);
    const next = (index + (event.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length;
    const target = VIEWS[next];
    if (!target) return;
    onChange(target.value);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="Graph view" className="view-tabs" onKeyDown={handleKeyDown}>
      {VIEWS.map((item, index) => (
        <button
          key={item.value}
          ref={(element) => {
            refs.current[index] = element;
          }}
          type="button"
          role="tab"
          id={`${panelId}-${item.value}-tab`}
          aria-selected={view === item.value}
          aria-controls={`${panelId}-${item.value}`}
          tabIndex={view === item.value ? 0 : -1}
          className="view-tab"
          onClick={() => onChange(item.value)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
