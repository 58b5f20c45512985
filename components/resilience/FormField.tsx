import { useId } from 'react';

export interface FormFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** placeholder: what an empty field means */
  placeholder?: string;
  disabled: boolean;
  inputMode?: 'numeric' | 'text';
}

/** A labelled text input of an editor. */
export function FormField({
  label,
  value,
  onChange,
  placeholder,
  disabled,
  inputMode = 'text',
}: FormFieldProps) {
  const id = useId();
  return (
    <div className="editor-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="text"
        inputMode={inputMode}
        value={value}
        placeholder={placeholder}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
