import { SEVERITIES } from '@/lib/istio-config/counts';
import type { SeverityCounts } from '@/lib/types/config';
import './config.css';

const NOUNS = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  info: ['info', 'infos'],
} as const;

/** `2 errors`, `1 warning`: one badge per severity present; `none` when there is nothing. */
export function FindingCounts({ counts }: { counts: SeverityCounts }) {
  const present = SEVERITIES.filter((severity) => counts[severity] > 0);
  if (present.length === 0) return <span className="muted">none</span>;
  return (
    <span className="finding-counts">
      {present.map((severity) => (
        <span key={severity} className={`badge badge-severity-${severity}`}>
          {counts[severity]} {NOUNS[severity][counts[severity] === 1 ? 0 : 1]}
        </span>
      ))}
    </span>
  );
}

/** The counts as text, for a table column's sortable value. */
export function findingCountsText(counts: SeverityCounts): string {
  const present = SEVERITIES.filter((severity) => counts[severity] > 0);
  return present.length === 0
    ? 'none'
    : present
        .map((severity) => `${counts[severity]} ${NOUNS[severity][counts[severity] === 1 ? 0 : 1]}`)
        .join(', ');
}
