'use client';

import type { ResilienceWriteResult } from '@/lib/resilience/edit-types';
import { ConflictDialog } from '../config/ConflictDialog';
import { ReviewDialog } from '../config/ReviewDialog';
import type { useResilienceWrite } from './useResilienceWrite';

export interface WriteDialogsProps {
  write: ReturnType<typeof useResilienceWrite>;
  objectName: string;
  /** the object as read, as YAML */
  readYaml: string;
  onReapply: () => void;
  /** why the edits cannot be re-applied on the current version */
  rebaseProblem: string | undefined;
}

/** The review dialog (diff, dry run, findings, guidance) and the conflict dialog of an editor. */
export function WriteDialogs({ write, objectName, readYaml, onReapply, rebaseProblem }: WriteDialogsProps) {
  // The review state holds what the dry run answered: a ResilienceWriteResult (both YAMLs included).
  const result =
    write.review.step === 'checked' || write.review.step === 'applying'
      ? (write.review.result as ResilienceWriteResult)
      : undefined;
  return (
    <>
      <ReviewDialog
        state={write.review}
        objectName={objectName}
        before={result?.before ?? readYaml}
        after={result?.after ?? readYaml}
        onApply={() => void write.apply()}
        onClose={write.closeReview}
      />
      <ConflictDialog
        open={write.conflict !== null}
        objectName={objectName}
        readText={readYaml}
        currentText={write.conflict?.yaml ?? ''}
        currentVersion={write.conflict?.resourceVersion ?? ''}
        onReapply={onReapply}
        {...(rebaseProblem !== undefined ? { rebaseProblem } : {})}
        onDiscard={() => void write.reload()}
        onClose={write.closeConflict}
      />
    </>
  );
}
