'use client';

import { type KeyboardEvent, useRef } from 'react';

export interface TabItem<Value extends string> {
  value: Value;
  label: string;
}

export interface TabsProps<Value extends string> {
  tabs: readonly TabItem<Value>[];
  selected: Value;
  onChange: (value: Value) => void;
  /** the tab list's accessible name */
  label: string;
  /** id prefix of the tab panels: each tab controls `${panelId}-${value}` */
  panelId: string;
}

/** ARIA tabs: one tab focusable at a time, arrow keys move between them and select. */
export function Tabs<Value extends string>({ tabs, selected, onChange, label, panelId }: TabsProps<Value>) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const handleKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = tabs.findIndex((item) => item.value === selected);
    const next = (index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length;
    const target = tabs[next];
    if (!target) return;
    onChange(target.value);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="view-tabs" onKeyDown={handleKeyDown}>
      {tabs.map((item, index) => (
        <button
          key={item.value}
          ref={(element) => {
            refs.current[index] = element;
          }}
          type="button"
          role="tab"
          id={`${panelId}-${item.value}-tab`}
          aria-selected={selected === item.value}
          aria-controls={`${panelId}-${item.value}`}
          tabIndex={selected === item.value ? 0 : -1}
          className="view-tab"
          onClick={() => onChange(item.value)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
