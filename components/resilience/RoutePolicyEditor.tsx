'use client';

import { useState } from 'react';
import type { EditableVirtualService } from '@/lib/resilience/edit-types';
import { type RouteForm, routeEdit, routeForm } from '@/lib/resilience/editor-forms';
import { rebase } from '@/lib/resilience/rebase';
import {
  explainRoutePolicy,
  type RouteFault,
  type RoutePolicy,
  type RoutePolicyEdit,
  type RouteRetries,
  routePolicyGuidance,
  routePolicyProblems,
} from '@/lib/resilience/route-policy';
import { Checkbox } from './Checkbox';
import { FormField } from './FormField';
import { useResilienceWrite } from './useResilienceWrite';
import { WriteDialogs } from './WriteDialogs';

type Sections = Record<string, unknown>;

const sectionsOf = (
  value: { fault?: unknown; timeout?: unknown; retries?: unknown } | undefined,
): Sections => ({
  fault: value?.fault ?? undefined,
  timeout: value?.timeout ?? undefined,
  retries: value?.retries ?? undefined,
});

/** My edit of the route replayed on the VirtualService as it is now, or why it cannot be. */
function rebaseRoute(
  route: RoutePolicy,
  edit: RoutePolicyEdit,
  current: Record<string, unknown> | undefined,
): { edit: RoutePolicyEdit; problem?: string } {
  const spec = current?.spec as { http?: Sections[] } | undefined;
  const now = spec?.http?.[route.index];
  if (!now) return { edit, problem: `route ${route.index + 1} is gone from their version` };
  const { value, conflicts } = rebase(sectionsOf(route), sectionsOf(edit), sectionsOf(now));
  const next: RoutePolicyEdit = {
    index: route.index,
    fault: (value.fault as RouteFault | undefined) ?? null,
    timeout: (value.timeout as string | undefined) ?? null,
    retries: (value.retries as RouteRetries | undefined) ?? null,
  };
  if (conflicts.length > 0) return { edit: next, problem: `you both changed ${conflicts.join(', ')}` };
  return { edit: next };
}

export interface RoutePolicyEditorProps {
  namespace: string;
  service: string;
  virtualService: EditableVirtualService;
  route: RoutePolicy;
  /** after a write: what was applied, in words */
  onApplied: (message: string) => void;
}

/** Fault injection, timeout and retries of one route, in words and as a form, applied after review. */
export function RoutePolicyEditor({
  namespace,
  service,
  virtualService,
  route,
  onApplied,
}: RoutePolicyEditorProps) {
  const [form, setForm] = useState<RouteForm>(() => routeForm(route));
  const [readVersion, setReadVersion] = useState(virtualService.resourceVersion);
  const write = useResilienceWrite(namespace, service, 'route-policy', (result) =>
    onApplied(
      `Applied to VirtualService ${virtualService.namespace}/${virtualService.name} route ${route.index + 1}: now at resourceVersion ${result.resourceVersion}.`,
    ),
  );
  const disabled = !virtualService.editable;
  const edit = routeEdit(route, form);
  // The route exists (it was read with the object); the checks need only its place.
  const spec = { http: Array.from({ length: route.index + 1 }, () => ({})) };
  const problems = routePolicyProblems(spec, edit);
  const guidance = routePolicyGuidance(edit);
  const after = explainRoutePolicy({
    fault: edit.fault ?? null,
    timeout: edit.timeout ?? null,
    retries: edit.retries ?? null,
  });
  const set = (patch: Partial<RouteForm>) => setForm((current) => ({ ...current, ...patch }));
  const body = (resourceVersion: string) => ({
    virtualService: { namespace: virtualService.namespace, name: virtualService.name },
    resourceVersion,
    routes: [edit],
  });
  const rebased = write.conflict ? rebaseRoute(route, edit, write.conflict.current) : undefined;
  const title = `Route ${route.index + 1}${route.name ? ` (${route.name})` : ''}`;
  return (
    <section
      className="resilience-section"
      aria-label={`${virtualService.name} ${title}`}
      data-testid="route-policy-editor"
    >
      <h3>
        VirtualService {virtualService.namespace}/{virtualService.name} · {title}: {route.match} →{' '}
        {route.destinations}
      </h3>
      <ul aria-label="Now">
        {route.explanation.map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
      {disabled && (
        <p role="note" className="banner banner-warning">
          Read-only: {virtualService.reason}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (problems.length === 0) void write.startReview(body(readVersion));
        }}
      >
        <fieldset className="editor-fieldset">
          <legend>Delay</legend>
          <Checkbox
            label="Inject a delay"
            checked={form.delayOn}
            disabled={disabled}
            onChange={(delayOn) => set({ delayOn })}
          />
          <FormField
            label="Delay % of requests"
            inputMode="numeric"
            value={form.delayPercent}
            disabled={disabled || !form.delayOn}
            onChange={(delayPercent) => set({ delayPercent })}
          />
          <FormField
            label="Delay time"
            placeholder="e.g. 2s"
            value={form.fixedDelay}
            disabled={disabled || !form.delayOn}
            onChange={(fixedDelay) => set({ fixedDelay })}
          />
        </fieldset>
        <fieldset className="editor-fieldset">
          <legend>Abort</legend>
          <Checkbox
            label="Inject an abort"
            checked={form.abortOn}
            disabled={disabled}
            onChange={(abortOn) => set({ abortOn })}
          />
          <FormField
            label="Abort % of requests"
            inputMode="numeric"
            value={form.abortPercent}
            disabled={disabled || !form.abortOn}
            onChange={(abortPercent) => set({ abortPercent })}
          />
          <FormField
            label="Abort HTTP status"
            inputMode="numeric"
            value={form.httpStatus}
            disabled={disabled || !form.abortOn}
            onChange={(httpStatus) => set({ httpStatus })}
          />
        </fieldset>
        <fieldset className="editor-fieldset">
          <legend>Timeout and retries</legend>
          <FormField
            label="Timeout"
            placeholder="none"
            value={form.timeout}
            disabled={disabled}
            onChange={(timeout) => set({ timeout })}
          />
          <Checkbox
            label="Set a retry policy"
            checked={form.retriesOn}
            disabled={disabled}
            onChange={(retriesOn) => set({ retriesOn })}
          />
          <FormField
            label="Retry attempts"
            inputMode="numeric"
            placeholder="2"
            value={form.attempts}
            disabled={disabled || !form.retriesOn}
            onChange={(attempts) => set({ attempts })}
          />
          <FormField
            label="Per-try timeout"
            placeholder="none"
            value={form.perTryTimeout}
            disabled={disabled || !form.retriesOn}
            onChange={(perTryTimeout) => set({ perTryTimeout })}
          />
          <FormField
            label="Retry on"
            placeholder="5xx,connect-failure"
            value={form.retryOn}
            disabled={disabled || !form.retriesOn}
            onChange={(retryOn) => set({ retryOn })}
          />
        </fieldset>
        {after.join(' ') !== route.explanation.join(' ') && (
          <>
            <p className="field-label">After the change</p>
            <ul aria-label="After the change">
              {after.map((sentence) => (
                <li key={sentence}>{sentence}</li>
              ))}
            </ul>
          </>
        )}
        {problems.length > 0 && (
          <ul role="alert" className="field-error" aria-label="Problems">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        )}
        {guidance.map((note) => (
          <p key={note} className="guidance-warning">
            {note}
          </p>
        ))}
        <div className="editor-actions">
          <button type="submit" disabled={disabled || problems.length > 0}>
            Review change
          </button>
          <button
            type="button"
            className="button-quiet"
            disabled={disabled}
            onClick={() => setForm(routeForm(route))}
          >
            Reset
          </button>
        </div>
      </form>
      <WriteDialogs
        write={write}
        objectName={`VirtualService ${virtualService.namespace}/${virtualService.name}`}
        readYaml={virtualService.yaml}
        rebaseProblem={rebased?.problem}
        onReapply={() => {
          if (!write.conflict || !rebased || rebased.problem !== undefined) return;
          setReadVersion(write.conflict.resourceVersion);
          write.closeConflict();
          void write.startReview({ ...body(write.conflict.resourceVersion), routes: [rebased.edit] });
        }}
      />
    </section>
  );
}
