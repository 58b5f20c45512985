'use client';

import { type FormEvent, useId, useState } from 'react';
import { HTTP_METHODS, type WhatIfInputs } from '@/lib/security/page-params';
import type { WorkloadAuthz } from '@/lib/types/security';

export interface WhatIfFormProps {
  /** the inputs in the URL (the form starts from them) */
  initial: WhatIfInputs;
  namespaces: readonly string[];
  /** workloads to choose from (sources and destinations) */
  workloads: readonly Pick<WorkloadAuthz, 'namespace' | 'name'>[];
  problems: readonly string[];
  onSubmit: (inputs: WhatIfInputs) => void;
}

/**
 * The what-if question: a source (namespace, workload, service account, IP), a destination
 * workload and a request. Typing stays local; Check writes the question to the URL, which asks it.
 */
export function WhatIfForm({ initial, namespaces, workloads, problems, onSubmit }: WhatIfFormProps) {
  const id = useId();
  const [draft, setDraft] = useState(initial);
  const set = (patch: Partial<WhatIfInputs>) => setDraft((current) => ({ ...current, ...patch }));
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(draft);
  };
  const sources = workloads.filter((workload) => workload.namespace === draft.srcNs);
  const destination = draft.dstNs && draft.dstWorkload ? `${draft.dstNs}/${draft.dstWorkload}` : '';
  const field = (name: string) => `${id}-${name}`;
  return (
    <form className="whatif-form" onSubmit={handleSubmit} aria-label="What-if authorization check">
      <fieldset>
        <legend>Source</legend>
        <label className="field-label" htmlFor={field('src-ns')}>
          Source namespace
        </label>
        <select
          id={field('src-ns')}
          value={draft.srcNs}
          onChange={(event) => set({ srcNs: event.target.value, srcWorkload: '' })}
        >
          <option value="">Choose…</option>
          {[...new Set([...namespaces, draft.srcNs].filter(Boolean))].sort().map((namespace) => (
            <option key={namespace}>{namespace}</option>
          ))}
        </select>
        <label className="field-label" htmlFor={field('src-workload')}>
          Source workload (optional)
        </label>
        <select
          id={field('src-workload')}
          value={draft.srcWorkload}
          onChange={(event) => set({ srcWorkload: event.target.value })}
        >
          <option value="">Any (give a service account or IP)</option>
          {[...new Set([...sources.map((workload) => workload.name), draft.srcWorkload].filter(Boolean))].map(
            (name) => (
              <option key={name}>{name}</option>
            ),
          )}
        </select>
        <label className="field-label" htmlFor={field('src-sa')}>
          Service account (optional)
        </label>
        <input
          id={field('src-sa')}
          type="text"
          value={draft.srcSa}
          placeholder="from the workload, else default"
          onChange={(event) => set({ srcSa: event.target.value })}
        />
        <label className="field-label" htmlFor={field('src-ip')}>
          Source IP (optional)
        </label>
        <input
          id={field('src-ip')}
          type="text"
          value={draft.srcIp}
          onChange={(event) => set({ srcIp: event.target.value })}
        />
      </fieldset>
      <fieldset>
        <legend>Destination and request</legend>
        <label className="field-label" htmlFor={field('dst')}>
          Destination workload
        </label>
        <select
          id={field('dst')}
          value={destination}
          onChange={(event) => {
            const [dstNs = '', dstWorkload = ''] = event.target.value.split('/');
            set({ dstNs, dstWorkload });
          }}
        >
          <option value="">Choose…</option>
          {[
            ...new Set(
              [...workloads.map((workload) => `${workload.namespace}/${workload.name}`), destination].filter(
                Boolean,
              ),
            ),
          ].map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
        <label className="field-label" htmlFor={field('method')}>
          Method
        </label>
        <select
          id={field('method')}
          value={draft.method}
          onChange={(event) => set({ method: event.target.value })}
        >
          {HTTP_METHODS.map((method) => (
            <option key={method}>{method}</option>
          ))}
        </select>
        <label className="field-label" htmlFor={field('path')}>
          Path
        </label>
        <input
          id={field('path')}
          type="text"
          value={draft.path}
          onChange={(event) => set({ path: event.target.value })}
        />
        <label className="field-label" htmlFor={field('port')}>
          Port (optional)
        </label>
        <input
          id={field('port')}
          type="text"
          inputMode="numeric"
          value={draft.port}
          onChange={(event) => set({ port: event.target.value })}
        />
        <label className="field-label" htmlFor={field('headers')}>
          Headers (one "name: value" a line)
        </label>
        <textarea
          id={field('headers')}
          rows={3}
          value={draft.headers}
          onChange={(event) => set({ headers: event.target.value })}
        />
      </fieldset>
      {problems.length > 0 && (
        <ul className="field-error" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <button type="submit">Check</button>
    </form>
  );
}
