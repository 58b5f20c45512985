import type { ReactNode } from 'react';
import './resilience.css';

/** The resilience pages share their styles (state chips, timeline, editors). */
export default function ResilienceLayout({ children }: { children: ReactNode }) {
  return children;
}
