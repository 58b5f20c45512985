import type { ReactNode } from 'react';
import '../services/services.css';

/** Shares the services pages' styles. */
export default function Layout({ children }: { children: ReactNode }) {
  return children;
}
