import { findingLabel } from '@/lib/istio-config/markers';
import type { Finding } from '@/lib/types/validation';
import { SeverityBadge } from './SeverityBadge';

export interface FindingListProps {
  title: string;
  findings: readonly Finding[];
  /** what to say when there are none */
  emptyText: string;
  /** shows the finding's place in the editor */
  onSelect?: (finding: Finding) => void;
}

/** Findings as a list: severity, codes, the path (a button to show it in the editor) and the message. */
export function FindingList({ title, findings, emptyText, onSelect }: FindingListProps) {
  return (
    <section aria-label={title} data-testid="finding-list">
      <h2>{title}</h2>
      {findings.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <ul className="finding-list">
          {findings.map((finding) => (
            <li key={`${finding.code}|${finding.path}|${finding.message}`}>
              <SeverityBadge severity={finding.severity} /> <code>{findingLabel(finding)}</code>{' '}
              {onSelect ? (
                <button type="button" className="link-button" onClick={() => onSelect(finding)}>
                  {finding.path}
                </button>
              ) : (
                <code>{finding.path}</code>
              )}
              <p>{finding.message}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
