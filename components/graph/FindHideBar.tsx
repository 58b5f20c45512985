'use client';

import { FindHideField } from './FindHideField';

export interface FindHideBarProps {
  find: string;
  hide: string;
  onFindChange: (text: string) => void;
  onHideChange: (text: string) => void;
  validate: (text: string) => string | null;
  /** how many nodes and edges the applied find matched and hide removed */
  summary: { found: number; hidden: number } | null;
}

const FIND_PRESETS = ['rt > 1000', '! healthy', 'name = unknown', '%httperr > 1', 'version = v1'];
const HIDE_PRESETS = ['healthy', 'name = unknown', 'idle', 'node = service'];

/** Find (highlight) and hide (remove) with Kiali's expression language; hide wins over find. */
export function FindHideBar({ find, hide, onFindChange, onHideChange, validate, summary }: FindHideBarProps) {
  return (
    <div className="find-hide">
      <FindHideField
        label="Find"
        value={find}
        onCommit={onFindChange}
        validate={validate}
        presets={FIND_PRESETS}
        placeholder="e.g. version = v3"
      />
      <FindHideField
        label="Hide"
        value={hide}
        onCommit={onHideChange}
        validate={validate}
        presets={HIDE_PRESETS}
        placeholder="e.g. name = productpage"
      />
      {summary !== null && (summary.found > 0 || summary.hidden > 0) && (
        <p className="muted find-hide-summary" role="status">
          {summary.found > 0 && `${summary.found} found`}
          {summary.found > 0 && summary.hidden > 0 && ' · '}
          {summary.hidden > 0 && `${summary.hidden} hidden`}
        </p>
      )}
    </div>
  );
}
