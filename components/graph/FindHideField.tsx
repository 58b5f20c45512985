'use client';

import { useEffect, useId, useState } from 'react';

/** Milliseconds of quiet typing before the expression is applied. */
const COMMIT_DELAY_MS = 400;

export interface FindHideFieldProps {
  label: 'Find' | 'Hide';
  /** the applied expression (from the URL) */
  value: string;
  onCommit: (text: string) => void;
  /** the problem with an expression, in words, or null when it parses */
  validate: (text: string) => string | null;
  presets: readonly string[];
  placeholder: string;
}

/**
 * One find/hide expression box (Kiali's syntax). What is typed is checked at once, shown as an
 * inline error next to the box (aria-invalid), and applied after a pause or on Enter when valid.
 */
export function FindHideField({
  label,
  value,
  onCommit,
  validate,
  presets,
  placeholder,
}: FindHideFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [applied, setApplied] = useState(value);
  // The URL changed under us (back button, a link): show what it says.
  if (value !== applied) {
    setApplied(value);
    setDraft(value);
  }
  const error = draft.trim() === '' ? null : validate(draft);

  useEffect(() => {
    if (draft === value || error !== null) return;
    const timer = setTimeout(() => onCommit(draft), COMMIT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, value, error, onCommit]);

  const errorId = `${id}-error`;
  return (
    <div className="find-hide-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="find-hide-input">
        <input
          id={id}
          type="text"
          list={`${id}-presets`}
          value={draft}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error !== null}
          aria-describedby={error !== null ? errorId : undefined}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && error === null) onCommit(draft);
            if (event.key === 'Escape') setDraft('');
          }}
        />
        <datalist id={`${id}-presets`}>
          {presets.map((preset) => (
            <option key={preset} value={preset} />
          ))}
        </datalist>
        {draft !== '' && (
          <button
            type="button"
            className="button-quiet"
            aria-label={`Clear ${label.toLowerCase()}`}
            onClick={() => {
              setDraft('');
              onCommit('');
            }}
          >
            ×
          </button>
        )}
      </div>
      {error !== null && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
