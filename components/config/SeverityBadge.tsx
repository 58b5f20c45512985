import type { FindingSeverity } from '@/lib/types/validation';
import './config.css';

const LABELS: Record<FindingSeverity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** A finding's severity in words (never by colour alone). */
export function SeverityBadge({ severity }: { severity: FindingSeverity }) {
  return <span className={`badge badge-severity-${severity}`}>{LABELS[severity]}</span>;
}
