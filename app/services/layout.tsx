import type { ReactNode } from 'react';
import './services.css';

/** The services pages share their styles with the gateways and service-entries pages. */
export default function ServicesLayout({ children }: { children: ReactNode }) {
  return children;
}
