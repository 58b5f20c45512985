import type { ReactNode } from 'react';
import './traffic-split.css';

/** The traffic-split pages share their styles (sliders, diffs, the conflict dialog). */
export default function TrafficSplitLayout({ children }: { children: ReactNode }) {
  return children;
}
