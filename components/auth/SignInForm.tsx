'use client';

import { type FormEvent, useId, useState } from 'react';
import { ApiError, apiFetch } from '@/lib/api-fetch';

export interface SignInFormProps {
  mode: 'token' | 'local';
  /** the dashboard path to open once signed in */
  next: string;
}

/** One secret field and a button; the answer sets HttpOnly cookies and the page moves on. */
export function SignInForm({ mode, next }: SignInFormProps) {
  const fieldId = useId();
  const errorId = useId();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [pending, setPending] = useState(false);
  const label = mode === 'token' ? 'Kubernetes bearer token' : 'Launch secret';

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    try {
      await apiFetch('/api/auth/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(mode === 'token' ? { token: value.trim() } : { launchSecret: value.trim() }),
      });
      setValue('');
      window.location.assign(next);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Signing in failed.');
      setPending(false);
    }
  };

  return (
    <form onSubmit={handleSubmit} className="sign-in-form" noValidate>
      <label className="field-label" htmlFor={fieldId}>
        {label}
      </label>
      <input
        id={fieldId}
        type="password"
        autoComplete="off"
        spellCheck={false}
        required
        value={value}
        onChange={(event) => setValue(event.target.value)}
        aria-invalid={error !== undefined}
        aria-describedby={error !== undefined ? errorId : undefined}
      />
      {error !== undefined && (
        <p id={errorId} role="alert" className="field-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending || value.trim() === ''} aria-busy={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
