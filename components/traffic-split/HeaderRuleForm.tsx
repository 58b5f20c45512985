'use client';

import { type FormEvent, useId, useState } from 'react';
import type { DraftRoute } from '@/lib/traffic-split/draft';
import { destinationLabel } from '@/lib/traffic-split/routes';
import type { HeaderRouteAddition } from '@/lib/types/traffic-split';

/** Header names Istio matches: lower case. */
const HEADER_NAME = /^[a-z0-9][a-z0-9!#$%&'*+.^_`|~-]*$/;

/**
 * A rule put in front of the route that sends requests carrying a header value (`x-env: canary`)
 * to one destination; it joins the change and goes through the same review.
 */
export function HeaderRuleForm({
  route,
  disabled,
  onAdd,
}: {
  route: DraftRoute;
  disabled: boolean;
  onAdd: (addition: HeaderRouteAddition) => void;
}) {
  const id = useId();
  const [header, setHeader] = useState('x-env');
  const [value, setValue] = useState('canary');
  const [target, setTarget] = useState(route.destinations.length - 1);
  const headerError = HEADER_NAME.test(header) ? undefined : 'Use a lower-case header name, e.g. x-env.';
  const valueError = value === '' ? 'Give the value to match, e.g. canary.' : undefined;

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const destination = route.destinations[target];
    if (headerError || valueError || !destination) return;
    onAdd({
      beforeIndex: route.index,
      header,
      value,
      destination: {
        host: destination.host,
        ...(destination.subset !== undefined ? { subset: destination.subset } : {}),
        ...(destination.port !== undefined ? { port: destination.port } : {}),
      },
    });
  };

  return (
    <details className="header-rule">
      <summary>Add a header rule in front of this route</summary>
      <form onSubmit={handleSubmit} aria-label="Header rule">
        <p className="muted">
          Requests carrying the header value go to the chosen destination; all others follow the weights.
        </p>
        <label className="field-label" htmlFor={`${id}-header`}>
          Header
        </label>
        <input
          id={`${id}-header`}
          type="text"
          value={header}
          aria-invalid={headerError ? true : undefined}
          aria-describedby={headerError ? `${id}-header-error` : undefined}
          onChange={(event) => setHeader(event.target.value)}
        />
        {headerError && (
          <span id={`${id}-header-error`} className="field-error">
            {headerError}
          </span>
        )}
        <label className="field-label" htmlFor={`${id}-value`}>
          Value (exact)
        </label>
        <input
          id={`${id}-value`}
          type="text"
          value={value}
          aria-invalid={valueError ? true : undefined}
          aria-describedby={valueError ? `${id}-value-error` : undefined}
          onChange={(event) => setValue(event.target.value)}
        />
        {valueError && (
          <span id={`${id}-value-error`} className="field-error">
            {valueError}
          </span>
        )}
        <label className="field-label" htmlFor={`${id}-target`}>
          Send to
        </label>
        <select
          id={`${id}-target`}
          value={target}
          onChange={(event) => setTarget(Number(event.target.value))}
        >
          {route.destinations.map((destination, position) => (
            <option key={destinationLabel(destination)} value={position}>
              {destinationLabel(destination)}
            </option>
          ))}
        </select>
        <button type="submit" disabled={disabled || headerError !== undefined || valueError !== undefined}>
          Add header rule to the change
        </button>
      </form>
    </details>
  );
}
