'use client';

import { useId } from 'react';

export interface ToolbarSelectProps<Value extends string> {
  label: string;
  value: Value;
  options: readonly { value: Value; label: string }[];
  onChange: (value: Value) => void;
}

/** A labelled native select: keyboard, screen readers and mobile pickers for free. */
export function ToolbarSelect<Value extends string>({
  label,
  value,
  options,
  onChange,
}: ToolbarSelectProps<Value>) {
  const id = useId();
  return (
    <div className="toolbar-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          const next = options.find((option) => option.value === event.target.value);
          if (next) onChange(next.value);
        }}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
