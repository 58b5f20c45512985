import type { ApiError } from '@/lib/api-fetch';
import type { ConfigPutResponse } from '@/lib/types/config';
import { ConfigDialog } from './ConfigDialog';
import { DiffView } from './DiffView';
import { FindingList } from './FindingList';

export type ReviewState =
  | { step: 'closed' }
  | { step: 'checking' }
  | { step: 'checked'; result: ConfigPutResponse }
  | { step: 'applying'; result: ConfigPutResponse }
  | { step: 'failed'; error: ApiError };

export interface ReviewDialogProps {
  state: ReviewState;
  objectName: string;
  before: string;
  after: string;
  onApply: () => void;
  onClose: () => void;
}

/** Before/after, the API server's dry run of the change and the findings it would leave, then apply. */
export function ReviewDialog({ state, objectName, before, after, onApply, onClose }: ReviewDialogProps) {
  const result = state.step === 'checked' || state.step === 'applying' ? state.result : undefined;
  return (
    <ConfigDialog open={state.step !== 'closed'} title={`Review changes to ${objectName}`} onClose={onClose}>
      <DiffView before={before} after={after} label="Before and after (- removed, + added)" />
      {state.step === 'checking' && (
        <p role="status" aria-busy="true">
          Dry run: asking the API server whether it accepts the change…
        </p>
      )}
      {state.step === 'failed' && (
        <div role="alert" className="banner banner-error">
          <p className="banner-title">The change cannot be applied</p>
          <p>{state.error.message}</p>
        </div>
      )}
      {result && (
        <>
          <p role="status" data-testid="dry-run-result">
            Dry run passed: the API server accepts the change ({result.operations.length} field
            {result.operations.length === 1 ? '' : 's'} changed, only spec, labels and annotations).
          </p>
          <FindingList
            title="Findings after this change"
            findings={result.findings}
            emptyText="None: the object would have no findings."
          />
        </>
      )}
      <div className="editor-actions">
        <button type="button" onClick={onApply} disabled={!result || state.step === 'applying'}>
          {state.step === 'applying' ? 'Applying…' : 'Apply'}
        </button>
        <button type="button" className="button-quiet" onClick={onClose} disabled={state.step === 'applying'}>
          Cancel
        </button>
      </div>
    </ConfigDialog>
  );
}
