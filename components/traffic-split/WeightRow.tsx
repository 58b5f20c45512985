'use client';

import { type ChangeEvent, useId, useState } from 'react';
import type { DraftDestination } from '@/lib/traffic-split/draft';
import { destinationLabel } from '@/lib/traffic-split/routes';
import { weightProblem } from '@/lib/traffic-split/weights';

export interface WeightRowProps {
  destination: DraftDestination;
  weight: number;
  applied: number;
  locked: boolean;
  /** the row's controls are off (read-only, or a step in progress) */
  disabled: boolean;
  /** why the server refused this destination's weight, in words */
  problem?: string;
  onMove: (value: number) => void;
  onToggleLock: () => void;
  onAllHere: () => void;
}

/**
 * One destination of a route: a real range input and a number input for its weight (both keyboard
 * operable), a lock, and its problem in words next to them.
 */
export function WeightRow({
  destination,
  weight,
  applied,
  locked,
  disabled,
  problem,
  onMove,
  onToggleLock,
  onAllHere,
}: WeightRowProps) {
  const label = destinationLabel(destination);
  const sliderId = useId();
  const errorId = useId();
  /** what the number field shows while typed in; null: the weight */
  const [typed, setTyped] = useState<string | null>(null);
  const typedProblem =
    typed === null ? undefined : weightProblem(typed.trim() === '' ? Number.NaN : Number(typed));
  const destinationProblem =
    destination.problem && (weight > 0 || destination.problem.severity === 'error')
      ? destination.problem.message
      : undefined;
  const error = typedProblem ?? problem;
  const notes = [error, destinationProblem].filter((text): text is string => text !== undefined);

  const handleSlider = (event: ChangeEvent<HTMLInputElement>) => onMove(Number(event.target.value));
  const handleNumber = (event: ChangeEvent<HTMLInputElement>) => {
    const text = event.target.value;
    setTyped(text);
    const value = Number(text);
    if (text.trim() !== '' && weightProblem(value) === undefined) onMove(value);
  };

  return (
    <tr data-testid="weight-row" data-destination={label} className={error ? 'row-error' : undefined}>
      <th scope="row">
        <label htmlFor={sliderId}>{label}</label>
        {!destination.inRoute && (
          <span className="badge" title="Added to the route when given weight">
            {destination.newSubset ? 'new subset' : weight > 0 ? 'added to the route' : 'not routed yet'}
          </span>
        )}
      </th>
      <td>
        <input
          id={sliderId}
          type="range"
          className="weight-slider"
          min={0}
          max={100}
          step={1}
          value={weight}
          aria-label={`Weight of ${label}`}
          aria-valuetext={`${weight} percent`}
          aria-describedby={notes.length > 0 ? errorId : undefined}
          aria-invalid={error ? true : undefined}
          disabled={disabled || locked}
          onChange={handleSlider}
        />
      </td>
      <td className="weight-number">
        <input
          type="number"
          inputMode="numeric"
          min={0}
          max={100}
          step={1}
          value={typed ?? String(weight)}
          aria-label={`Weight of ${label} in percent`}
          aria-describedby={notes.length > 0 ? errorId : undefined}
          aria-invalid={error ? true : undefined}
          disabled={disabled || locked}
          onChange={handleNumber}
          onBlur={() => setTyped(null)}
        />
        <span aria-hidden="true">%</span>
      </td>
      <td>
        <button
          type="button"
          className="button-quiet"
          aria-pressed={locked}
          aria-label={`Lock ${label}`}
          disabled={disabled}
          onClick={onToggleLock}
        >
          {locked ? 'Locked' : 'Lock'}
        </button>
      </td>
      <td>
        <button
          type="button"
          className="button-quiet"
          aria-label={`Send all traffic to ${label}`}
          disabled={disabled || locked}
          onClick={onAllHere}
        >
          All here
        </button>
      </td>
      <td className="applied-weight">{applied}%</td>
      <td id={errorId} className="weight-notes">
        {notes.map((note) => (
          <span key={note} className={note === error ? 'field-error' : 'field-warning'}>
            {note}
          </span>
        ))}
      </td>
    </tr>
  );
}
