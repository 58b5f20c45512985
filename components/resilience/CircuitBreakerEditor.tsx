'use client';

import { useId, useState } from 'react';
import {
  type BreakerSection,
  breakerSections,
  type CircuitBreakerEdit,
  circuitBreakerGuidance,
  circuitBreakerProblems,
} from '@/lib/resilience/breaker-edit';
import type { EditableDestinationRule } from '@/lib/resilience/edit-types';
import { type BreakerForm, breakerEdit, breakerForm } from '@/lib/resilience/editor-forms';
import { rebase } from '@/lib/resilience/rebase';
import { Checkbox } from './Checkbox';
import { FormField } from './FormField';
import { useResilienceWrite } from './useResilienceWrite';
import { WriteDialogs } from './WriteDialogs';

export interface CircuitBreakerEditorProps {
  namespace: string;
  service: string;
  rule: EditableDestinationRule;
  onApplied: (message: string) => void;
}

type Sections = Record<string, unknown>;

const sectionsOf = (
  value: { connectionPool?: unknown; outlierDetection?: unknown } | undefined,
): Sections => ({
  connectionPool: value?.connectionPool ?? undefined,
  outlierDetection: value?.outlierDetection ?? undefined,
});

/** My edit of the section replayed on the DestinationRule as it is now, or why it cannot be. */
function rebaseBreaker(
  section: BreakerSection,
  edit: CircuitBreakerEdit,
  current: Record<string, unknown> | undefined,
): { edit: CircuitBreakerEdit; problem?: string } {
  const spec = (current?.spec ?? {}) as Record<string, unknown>;
  const now = breakerSections(spec).find((entry) => entry.subset === section.subset);
  if (!now) return { edit, problem: `subset ${section.subset} is gone from their version` };
  const { value, conflicts } = rebase(sectionsOf(section), sectionsOf(edit), sectionsOf(now));
  const next: CircuitBreakerEdit = {
    subset: section.subset,
    connectionPool: (value.connectionPool as Sections | undefined) ?? null,
    outlierDetection: (value.outlierDetection as Sections | undefined) ?? null,
  };
  if (conflicts.length > 0) return { edit: next, problem: `you both changed ${conflicts.join(', ')}` };
  return { edit: next };
}

const sectionLabel = (subset: string | null) =>
  subset === null ? 'Top level (whole service)' : `Subset ${subset}`;

/** connectionPool and outlierDetection of one section of a DestinationRule, with guidance, applied after review. */
export function CircuitBreakerEditor({ namespace, service, rule, onApplied }: CircuitBreakerEditorProps) {
  const selectId = useId();
  const [selected, setSelected] = useState(0);
  const section = rule.sections[selected] ?? rule.sections[0];
  const [form, setForm] = useState<BreakerForm>(() =>
    breakerForm(section ?? { connectionPool: null, outlierDetection: null }),
  );
  const [readVersion, setReadVersion] = useState(rule.resourceVersion);
  const write = useResilienceWrite(namespace, service, 'circuit-breaker', (result) =>
    onApplied(
      `Applied to DestinationRule ${rule.namespace}/${rule.name} (${sectionLabel(section?.subset ?? null).toLowerCase()}): now at resourceVersion ${result.resourceVersion}.`,
    ),
  );
  if (!section) return null;
  const disabled = !rule.editable;
  const edit = breakerEdit(section, form);
  const spec = {
    subsets: rule.sections.filter((entry) => entry.subset !== null).map((entry) => ({ name: entry.subset })),
  };
  const problems = circuitBreakerProblems(spec, edit);
  const guidance = circuitBreakerGuidance(edit, section.pods);
  const rebased = write.conflict ? rebaseBreaker(section, edit, write.conflict.current) : undefined;
  const set = (patch: Partial<BreakerForm>) => setForm((current) => ({ ...current, ...patch }));
  const body = (resourceVersion: string) => ({
    destinationRule: { namespace: rule.namespace, name: rule.name },
    resourceVersion,
    ...edit,
  });
  return (
    <section
      className="resilience-section"
      aria-label={`Circuit breaker of ${rule.name}`}
      data-testid="circuit-breaker-editor"
    >
      <h3>
        DestinationRule {rule.namespace}/{rule.name} (host {rule.host})
      </h3>
      {disabled && (
        <p role="note" className="banner banner-warning">
          Read-only: {rule.reason}
        </p>
      )}
      <div className="editor-field">
        <label className="field-label" htmlFor={selectId}>
          Settings of
        </label>
        <select
          id={selectId}
          value={selected}
          onChange={(event) => {
            const index = Number(event.target.value);
            setSelected(index);
            const next = rule.sections[index];
            if (next) setForm(breakerForm(next));
          }}
        >
          {rule.sections.map((entry, index) => (
            <option key={entry.subset ?? ''} value={index}>
              {sectionLabel(entry.subset)} · {entry.pods} pod{entry.pods === 1 ? '' : 's'}
            </option>
          ))}
        </select>
      </div>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (problems.length === 0) void write.startReview(body(readVersion));
        }}
      >
        <fieldset className="editor-fieldset">
          <legend>Connection pool (per calling pod; blank: no limit)</legend>
          <FormField
            label="maxConnections"
            inputMode="numeric"
            value={form.maxConnections}
            disabled={disabled}
            onChange={(maxConnections) => set({ maxConnections })}
          />
          <FormField
            label="http1MaxPendingRequests"
            inputMode="numeric"
            value={form.http1MaxPendingRequests}
            disabled={disabled}
            onChange={(http1MaxPendingRequests) => set({ http1MaxPendingRequests })}
          />
          <FormField
            label="http2MaxRequests"
            inputMode="numeric"
            value={form.http2MaxRequests}
            disabled={disabled}
            onChange={(http2MaxRequests) => set({ http2MaxRequests })}
          />
          <FormField
            label="maxRequestsPerConnection"
            inputMode="numeric"
            value={form.maxRequestsPerConnection}
            disabled={disabled}
            onChange={(maxRequestsPerConnection) => set({ maxRequestsPerConnection })}
          />
          <FormField
            label="maxRetries"
            inputMode="numeric"
            value={form.maxRetries}
            disabled={disabled}
            onChange={(maxRetries) => set({ maxRetries })}
          />
        </fieldset>
        <fieldset className="editor-fieldset">
          <legend>Outlier detection</legend>
          <Checkbox
            label="Eject failing pods"
            checked={form.outlierOn}
            disabled={disabled}
            onChange={(outlierOn) => set({ outlierOn })}
          />
          <FormField
            label="consecutive5xxErrors"
            inputMode="numeric"
            placeholder="5"
            value={form.consecutive5xxErrors}
            disabled={disabled || !form.outlierOn}
            onChange={(consecutive5xxErrors) => set({ consecutive5xxErrors })}
          />
          <FormField
            label="consecutiveGatewayErrors"
            inputMode="numeric"
            placeholder="0"
            value={form.consecutiveGatewayErrors}
            disabled={disabled || !form.outlierOn}
            onChange={(consecutiveGatewayErrors) => set({ consecutiveGatewayErrors })}
          />
          <FormField
            label="interval"
            placeholder="10s"
            value={form.interval}
            disabled={disabled || !form.outlierOn}
            onChange={(interval) => set({ interval })}
          />
          <FormField
            label="baseEjectionTime"
            placeholder="30s"
            value={form.baseEjectionTime}
            disabled={disabled || !form.outlierOn}
            onChange={(baseEjectionTime) => set({ baseEjectionTime })}
          />
          <FormField
            label="maxEjectionPercent"
            inputMode="numeric"
            placeholder="10"
            value={form.maxEjectionPercent}
            disabled={disabled || !form.outlierOn}
            onChange={(maxEjectionPercent) => set({ maxEjectionPercent })}
          />
          <FormField
            label="minHealthPercent"
            inputMode="numeric"
            placeholder="0"
            value={form.minHealthPercent}
            disabled={disabled || !form.outlierOn}
            onChange={(minHealthPercent) => set({ minHealthPercent })}
          />
        </fieldset>
        {problems.length > 0 && (
          <ul role="alert" className="field-error" aria-label="Problems">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
        {guidance.length > 0 && (
          <ul aria-label="Guidance on these values" data-testid="breaker-guidance">
            {guidance.map((entry) => (
              <li key={`${entry.field}:${entry.message}`} className={`guidance-${entry.severity}`}>
                <code>{entry.field}</code>: {entry.message}
              </li>
            ))}
          </ul>
        )}
        <p className="muted">
          Outlier detection counts errors per calling pod: with consecutive5xxErrors{' '}
          {form.consecutive5xxErrors || '5'}, a pod is ejected after that many 5xx in a row, checked every{' '}
          {form.interval || '10s'}; it stays out baseEjectionTime × the number of times it was ejected.
          maxEjectionPercent applies to the {section.pods} pod
          {section.pods === 1 ? '' : 's'} here.
        </p>
        <div className="editor-actions">
          <button type="submit" disabled={disabled || problems.length > 0}>
            Review change
          </button>
          <button
            type="button"
            className="button-quiet"
            disabled={disabled}
            onClick={() => setForm(breakerForm(section))}
          >
            Reset
          </button>
        </div>
      </form>
      <WriteDialogs
        write={write}
        objectName={`DestinationRule ${rule.namespace}/${rule.name}`}
        readYaml={rule.yaml}
        rebaseProblem={rebased?.problem}
        onReapply={() => {
          if (!write.conflict || !rebased || rebased.problem !== undefined) return;
          setReadVersion(write.conflict.resourceVersion);
          write.closeConflict();
          void write.startReview({ ...body(write.conflict.resourceVersion), ...rebased.edit });
        }}
      />
    </section>
  );
}
