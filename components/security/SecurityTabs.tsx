'use client';

import type { SecurityTab } from '@/lib/security/page-params';
import { Tabs } from '../Tabs';

const TABS = [
  { value: 'mtls', label: 'Mutual TLS' },
  { value: 'policies', label: 'Authorization' },
  { value: 'whatif', label: 'What-if' },
] as const satisfies readonly { value: SecurityTab; label: string }[];

export interface SecurityTabsProps {
  tab: SecurityTab;
  onChange: (tab: SecurityTab) => void;
  /** id prefix of the tab panels (`${panelId}-mtls`, ...) */
  panelId: string;
}

/** The security page's three views. */
export function SecurityTabs({ tab, onChange, panelId }: SecurityTabsProps) {
  return <Tabs tabs={TABS} selected={tab} onChange={onChange} label="Security view" panelId={panelId} />;
}
