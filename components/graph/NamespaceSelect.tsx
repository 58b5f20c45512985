'use client';

import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';

/** Options drawn at once; the filter narrows the rest (clusters can have thousands of namespaces). */
const MAX_SHOWN = 200;
/** Selected namespaces listed by name in the button; beyond that, a count. */
const MAX_NAMED = 3;

export interface NamespaceSelectProps {
  options: readonly string[];
  selected: readonly string[];
  onChange: (next: string[]) => void;
  /** the namespace list is still loading */
  loading?: boolean;
}

function summaryOf(selected: readonly string[]): string {
  if (selected.length === 0) return 'Select namespaces';
  if (selected.length <= MAX_NAMED) return selected.join(', ');
  return `${selected.slice(0, MAX_NAMED).join(', ')} +${selected.length - MAX_NAMED}`;
}

/**
 * A searchable multi-select for namespaces: a button opens a filter box (an ARIA combobox) over a
 * multi-selectable listbox. Arrow keys move, Enter toggles, Escape closes and returns focus.
 */
export function NamespaceSelect({ options, selected, onChange, loading = false }: NamespaceSelectProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const selectedSet = useMemo(() => new Set(selected), [selected]);

  const matches = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    // Selected namespaces that the cluster no longer lists stay visible, so they can be removed.
    const all = [...new Set([...selected, ...options])].sort();
    return needle === '' ? all : all.filter((name) => name.toLowerCase().includes(needle));
  }, [filter, options, selected]);
  const shown = matches.slice(0, MAX_SHOWN);
  const activeIndex = Math.min(active, Math.max(shown.length - 1, 0));

  useEffect(() => {
    if (!open) return;
    const handlePointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', handlePointerDown);
    return () => document.removeEventListener('pointerdown', handlePointerDown);
  }, [open]);

  const toggle = (name: string) => {
    onChange(selectedSet.has(name) ? selected.filter((item) => item !== name) : [...selected, name]);
  };
  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive(Math.min(activeIndex + 1, shown.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(Math.max(activeIndex - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const name = shown[activeIndex];
      if (name !== undefined) toggle(name);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  };

  const listId = `${id}-list`;
  const optionId = (index: number) => `${id}-option-${index}`;
  return (
    <div className="ns-select" ref={rootRef}>
      <span className="field-label" id={`${id}-label`}>
        Namespaces
      </span>
      <button
        ref={buttonRef}
        type="button"
        className="select-button"
        id={`${id}-button`}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-labelledby={`${id}-label ${id}-button`}
        onClick={() => setOpen(!open)}
      >
        {summaryOf(selected)}
      </button>
      {open && (
        <div className="ns-select-popover">
          <input
            type="text"
            role="combobox"
            aria-label="Filter namespaces"
            aria-expanded="true"
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={shown.length > 0 ? optionId(activeIndex) : undefined}
            placeholder="Type to filter"
            value={filter}
            // biome-ignore lint/a11y/noAutofocus: opening the list is asking to type in it.
            autoFocus
            onChange={(event) => {
              setFilter(event.target.value);
              setActive(0);
            }}
            onKeyDown={handleKeyDown}
          />
          <div className="ns-select-actions">
            <button type="button" onClick={() => onChange([...new Set([...selected, ...shown])])}>
              Select shown
            </button>
            <button type="button" onClick={() => onChange([])} disabled={selected.length === 0}>
              Clear
            </button>
          </div>
          <div
            role="listbox"
            id={listId}
            aria-multiselectable="true"
            aria-label="Namespaces"
            className="option-list"
          >
            {shown.map((name, index) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox above handles the keys (aria-activedescendant).
              <div
                key={name}
                id={optionId(index)}
                role="option"
                tabIndex={-1}
                aria-selected={selectedSet.has(name)}
                className={index === activeIndex ? 'option option-active' : 'option'}
                onClick={() => toggle(name)}
              >
                <span aria-hidden="true" className="option-check">
                  {selectedSet.has(name) ? '☑' : '☐'}
                </span>
                {name}
              </div>
            ))}
          </div>
          <p className="muted ns-select-note" role="status">
            {loading
              ? 'Loading namespaces…'
              : matches.length > MAX_SHOWN
                ? `${matches.length - MAX_SHOWN} more not shown: type to narrow the list.`
                : matches.length === 0
                  ? 'No namespace matches.'
                  : `${selected.length} of ${options.length} selected.`}
          </p>
        </div>
      )}
    </div>
  );
}
