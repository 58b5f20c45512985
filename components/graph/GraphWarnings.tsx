import { formatAge } from '@/lib/format/age';
import type { ApiWarning } from '@/lib/types/api';

export interface GraphWarningsProps {
  warnings: readonly ApiWarning[];
  /** ISO time the graph was built */
  builtAt: string;
  /** milliseconds since the epoch, to count the age to */
  now: number;
}

/** Partial failures of the graph (telemetry down, a namespace forbidden) with the data's age. */
export function GraphWarnings({ warnings, builtAt, now }: GraphWarningsProps) {
  if (warnings.length === 0) return null;
  return (
    <div role="status" className="banner banner-warning" data-testid="graph-warnings">
      <p className="banner-title">The graph is incomplete</p>
      <ul>
        {warnings.map((warning) => (
          <li key={`${warning.source}:${warning.message}`}>
            <strong>{warning.source}</strong>: {warning.message}
          </li>
        ))}
      </ul>
      <p>
        Graph built{' '}
        <time dateTime={builtAt} title={builtAt}>
          {formatAge(builtAt, now)}
        </time>{' '}
        ago.
      </p>
    </div>
  );
}
