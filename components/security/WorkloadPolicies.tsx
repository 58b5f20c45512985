'use client';

import { useId } from 'react';
import type { PoliciesResponse } from '@/lib/types/security';

export interface WorkloadPoliciesProps {
  policies: PoliciesResponse;
  /** `namespace/name` of the chosen workload, or empty */
  selected: string;
  onSelect: (workload: string) => void;
  /** opens the what-if form with this workload as the destination */
  onCheck: (namespace: string, name: string) => void;
}

/**
 * One workload's effective authorization: the policies that apply in Istio's evaluation order
 * (CUSTOM, DENY, ALLOW, AUDIT) with their rules, what happens when none matches, its JWT issuers
 * and local rate limits.
 */
export function WorkloadPolicies({ policies, selected, onSelect, onCheck }: WorkloadPoliciesProps) {
  const id = useId();
  const workload = policies.workloads.find((entry) => `${entry.namespace}/${entry.name}` === selected);
  const byRef = new Map(
    policies.authorizationPolicies.map((policy) => [`${policy.namespace}/${policy.name}`, policy]),
  );
  const selects = (list: readonly { namespace: string; name: string }[]) =>
    workload !== undefined &&
    list.some((entry) => entry.namespace === workload.namespace && entry.name === workload.name);
  const jwt = policies.requestAuthentications.filter((entry) => selects(entry.selects));
  const limits = policies.rateLimits.filter((entry) => selects(entry.selects));
  return (
    <section aria-labelledby={`${id}-title`} className="workload-policies">
      <h3 id={`${id}-title`}>Per workload</h3>
      <label className="field-label" htmlFor={`${id}-workload`}>
        Workload
      </label>
      <select id={`${id}-workload`} value={selected} onChange={(event) => onSelect(event.target.value)}>
        <option value="">Choose a workload…</option>
        {policies.workloads.map((entry) => (
          <option key={`${entry.namespace}/${entry.name}`} value={`${entry.namespace}/${entry.name}`}>
            {entry.namespace}/{entry.name}
          </option>
        ))}
      </select>
      {!workload && (
        <p className="muted">Choose a workload to see the policies that apply to it, in order.</p>
      )}
      {workload && (
        <div data-testid="workload-policies">
          {!workload.sidecar && (
            <p className="banner banner-warning">
              {workload.name} runs without a sidecar: nothing enforces these policies on it.
            </p>
          )}
          {workload.policies.length === 0 ? (
            <p>No AuthorizationPolicy applies: every request is allowed.</p>
          ) : (
            <ol className="authz-order">
              {workload.policies.map((entry) => {
                const policy = byRef.get(`${entry.namespace}/${entry.name}`);
                return (
                  <li key={`${entry.namespace}/${entry.name}`}>
                    <span className={`badge authz-action authz-action-${entry.action.toLowerCase()}`}>
                      {entry.action}
                    </span>{' '}
                    {entry.namespace}/{entry.name}
                    {entry.dryRun ? ' (dry run: not enforced)' : ''}
                    {policy && <div className="muted">{policy.summary}</div>}
                  </li>
                );
              })}
            </ol>
          )}
          <p data-testid="workload-default">
            When no policy decides:{' '}
            <strong>{workload.defaultAction === 'deny' ? 'denied' : 'allowed'}</strong>
            {workload.defaultAction === 'deny'
              ? ' (ALLOW policies apply, so a request none of them matches is denied)'
              : ' (no ALLOW policy applies)'}
            .
          </p>
          <p>
            JWT:{' '}
            {jwt.length === 0
              ? 'no RequestAuthentication applies'
              : jwt
                  .map(
                    (entry) =>
                      `${entry.namespace}/${entry.name} (${entry.issuers.join(', ') || 'no issuer'})`,
                  )
                  .join('; ')}
            . Rate limits: {limits.length === 0 ? 'none' : limits.map((entry) => entry.summary).join('; ')}.
          </p>
          <button
            type="button"
            className="button-secondary"
            onClick={() => onCheck(workload.namespace, workload.name)}
          >
            Check a request to {workload.name}
          </button>
        </div>
      )}
    </section>
  );
}
