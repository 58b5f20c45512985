import { ConfigDialog } from './ConfigDialog';
import { DiffView } from './DiffView';

export interface ConflictDialogProps {
  open: boolean;
  objectName: string;
  /** the version the edit started from, and the current one, as YAML */
  readText: string;
  currentText: string;
  currentVersion: string;
  /** why the edits cannot be re-applied, when they cannot */
  rebaseProblem?: string;
  onReapply: () => void;
  onDiscard: () => void;
  onClose: () => void;
}

/** Someone changed the object since it was read: what they changed, and how to go on. */
export function ConflictDialog(props: ConflictDialogProps) {
  const { open, objectName, readText, currentText, currentVersion, rebaseProblem } = props;
  return (
    <ConfigDialog open={open} title={`${objectName} changed since you read it`} onClose={props.onClose}>
      <p>
        Someone else saved it meanwhile (it is now at resourceVersion {currentVersion}). Nothing of yours was
        written. Their change:
      </p>
      <DiffView before={readText} after={currentText} label="Their change (- removed, + added)" />
      {rebaseProblem && (
        <p role="alert" className="banner banner-error">
          Your edits cannot be re-applied: {rebaseProblem}.
        </p>
      )}
      <div className="editor-actions">
        <button type="button" onClick={props.onReapply} disabled={rebaseProblem !== undefined}>
          Re-apply my edits on their version
        </button>
        <button type="button" className="button-quiet" onClick={props.onDiscard}>
          Discard my edits and load their version
        </button>
      </div>
    </ConfigDialog>
  );
}
