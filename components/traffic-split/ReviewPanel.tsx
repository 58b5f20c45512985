'use client';

import type { TrafficSplitResult } from '@/lib/types/traffic-split';
import { FindingList } from './FindingList';
import { YamlDiff } from './YamlDiff';

export interface ReviewPanelProps {
  result: TrafficSplitResult;
  applying: boolean;
  onApply: () => void;
  onBack: () => void;
}

/** The change as the server's dry run produced it: each object before and after, and its findings. */
export function ReviewPanel({ result, applying, onApply, onBack }: ReviewPanelProps) {
  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  return (
    <section className="review-panel" aria-labelledby="review-heading" data-testid="review-panel">
      <h2 id="review-heading">Review the change</h2>
      <p>
        The cluster accepted this change in a dry run (nothing is written yet). It is applied as one patch
        that fails if the object changed since version {result.resourceVersion}.
      </p>
      {result.changes.map((change) => (
        <section key={`${change.kind}/${change.namespace}/${change.name}`} className="review-change">
          <h3>
            {change.action === 'create' ? 'Create' : 'Patch'} {change.kind} {change.namespace}/{change.name}
          </h3>
          <YamlDiff
            before={change.before}
            after={change.after}
            label={`${change.kind} ${change.name} before and after`}
          />
        </section>
      ))}
      <FindingList findings={result.findings} title="Findings with the change" />
      {errors > 0 && (
        <p className="field-error">
          The change leaves {errors} error{errors > 1 ? 's' : ''} in the configuration; read them before
          applying.
        </p>
      )}
      <div className="review-actions">
        <button
          type="button"
          className="button-primary"
          onClick={onApply}
          disabled={applying}
          aria-busy={applying}
        >
          {applying ? 'Applying…' : 'Apply'}
        </button>
        <button type="button" onClick={onBack} disabled={applying}>
          Back to editing
        </button>
      </div>
    </section>
  );
}
