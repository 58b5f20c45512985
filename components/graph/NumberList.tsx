import type { ReactNode } from 'react';

export interface NumberListProps {
  items: readonly { term: string; value: ReactNode }[];
  testId?: string;
}

/** Label/value pairs as a description list (read as "term: value" by screen readers). */
export function NumberList({ items, testId }: NumberListProps) {
  return (
    <dl className="number-list" data-testid={testId}>
      {items.map((item) => (
        <div key={item.term}>
          <dt>{item.term}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
