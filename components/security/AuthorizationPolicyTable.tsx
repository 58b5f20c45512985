import type { AuthorizationPolicySummary, WorkloadRef } from '@/lib/types/security';
import { type Column, DataTable } from '../DataTable';

export function workloadList(selects: readonly WorkloadRef[]): string {
  if (selects.length === 0) return 'no listed workload';
  return selects
    .map((entry) => `${entry.namespace}/${entry.name}${entry.sidecar ? '' : ' (no sidecar: not enforced)'}`)
    .join(', ');
}

const COLUMNS: readonly Column<AuthorizationPolicySummary>[] = [
  {
    id: 'name',
    label: 'Policy',
    value: (policy) => `${policy.namespace}/${policy.name}`,
    isRowHeader: true,
  },
  {
    id: 'action',
    label: 'Action',
    value: (policy) => policy.action,
    render: (policy) => (
      <>
        <span className={`badge authz-action authz-action-${policy.action.toLowerCase()}`}>
          {policy.action}
        </span>
        {policy.provider ? ` via ${policy.provider}` : ''}
        {policy.dryRun ? ' (dry run: logged, not enforced)' : ''}
      </>
    ),
  },
  { id: 'scope', label: 'Scope', value: (policy) => policy.scope },
  { id: 'selects', label: 'Applies to', value: (policy) => workloadList(policy.selects) },
  {
    id: 'rules',
    label: 'Rules in words',
    value: (policy) => policy.summary,
    render: (policy) =>
      policy.rules.length === 0 ? (
        policy.summary
      ) : (
        <ul className="plain-list">
          {policy.rules.map((rule) => (
            <li key={rule.index}>
              rule {rule.index}: {rule.text}
            </li>
          ))}
        </ul>
      ),
  },
];

/** Every AuthorizationPolicy with its action, what it selects and its rules in words. */
export function AuthorizationPolicyTable({ policies }: { policies: readonly AuthorizationPolicySummary[] }) {
  if (policies.length === 0)
    return (
      <p className="muted">
        No AuthorizationPolicy in these namespaces: every request that passes mTLS is allowed.
      </p>
    );
  return (
    <DataTable
      label="AuthorizationPolicies"
      testId="authz-policies"
      columns={COLUMNS}
      rows={policies}
      rowKey={(policy) => `${policy.namespace}/${policy.name}`}
    />
  );
}
