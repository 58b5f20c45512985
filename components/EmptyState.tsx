import type { ReactNode } from 'react';

/** Says why a view is empty and what to do about it. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title} data-testid="empty-state">
      <h2>{title}</h2>
      {children}
    </section>
  );
}
