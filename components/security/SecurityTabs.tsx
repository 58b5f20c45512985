'use client';

import { type KeyboardEvent, useRef } from 'react';
import type { SecurityTab } from '@/lib/security/page-params';

const TABS: readonly { value: SecurityTab; label: string }[] = [
  { value: 'mtls', label: 'Mutual TLS' },
  { value: 'policies', label: 'Authorization' },
  { value: 'whatif', label: 'What-if' },
];

export interface SecurityTabsProps {
  tab: SecurityTab;
  onChange: (tab: SecurityTab) => void;
  /** id prefix of the tab panels (`${panelId}-mtls`, ...) */
  panelId: string;
}

/** The page's three views as ARIA tabs; arrow keys move between them. */
export function SecurityTabs({ tab, onChange, panelId }: SecurityTabsProps) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const handleKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = TABS.findIndex((item) => item.value === tab);
    const next = (index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length;
    const target = TABS[next];
    if (!target) return;
    onChange(target.value);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="Security view" className="view-tabs" onKeyDown={handleKeyDown}>
      {TABS.map((item, index) => (
        <button
          key={item.value}
          ref={(element) => {
            refs.current[index] = element;
          }}
          type="button"
          role="tab"
          id={`${panelId}-${item.value}-tab`}
          aria-selected={tab === item.value}
          aria-controls={`${panelId}-${item.value}`}
          tabIndex={tab === item.value ? 0 : -1}
          className="view-tab"
          onClick={() => onChange(item.value)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
