/**
 * AuthorizationPolicy evaluation as a server sidecar does it: CUSTOM policies first (a match hands
 * the request to the external authorizer), then DENY (any match denies), then ALLOW (when any
 * applies, one must match or the request is denied); AUDIT only logs, and dry-run policies are
 * traced but never enforced. The answer names the deciding policy and rule and says why, in words.
 * Rule matching is in authz-rules.ts.
 */
import type { IstioObject } from '../types/mesh-config';
import type { AuthzAction, AuthzDecision, AuthzTraceStep } from '../types/security';
import { type AuthzAttributes, RuleEvaluator, type TrustDomains } from './authz-rules';
import { record, records, refOf, text } from './spec';

export type { AuthzAttributes, TrustDomains } from './authz-rules';
export { identityOf } from './authz-rules';

export interface AuthzResult {
  decision: AuthzDecision;
  policy?: { namespace: string; name: string; action: AuthzAction };
  rule?: number;
  reason: string;
  trace: AuthzTraceStep[];
  /** attributes the evaluator could not know (conditions on JWT claims, SNI, ...) */
  notes: string[];
}

export function actionOf(policy: IstioObject): AuthzAction {
  const action = text(policy.spec.action);
  return action === 'DENY' || action === 'CUSTOM' || action === 'AUDIT' ? action : 'ALLOW';
}

export function isDryRun(policy: IstioObject): boolean {
  return policy.annotations['istio.io/dry-run'] === 'true';
}

/** A policy against the request: the first matching rule, or why none matched. */
function evaluatePolicy(policy: IstioObject, evaluator: RuleEvaluator): AuthzTraceStep {
  const action = actionOf(policy);
  const provider = text(record(policy.spec.provider).name);
  const base = {
    policy: refOf(policy),
    action,
    ...(provider ? { provider } : {}),
    dryRun: isDryRun(policy),
  };
  const rules = records(policy.spec.rules);
  if (rules.length === 0) {
    return {
      ...base,
      matched: false,
      reason:
        action === 'ALLOW'
          ? 'it has no rules, so it allows nothing'
          : 'it has no rules, so it matches nothing',
    };
  }
  const misses: string[] = [];
  for (const [index, rule] of rules.entries()) {
    const outcome = evaluator.rule(rule, action);
    if (outcome.ok)
      return { ...base, matched: true, rule: index, reason: `rule ${index} matches: ${outcome.words}` };
    misses.push(`rule ${index}: ${outcome.words}`);
  }
  return { ...base, matched: false, reason: `no rule matches (${misses.join('; ')})` };
}

const ORDER: Record<AuthzAction, number> = { CUSTOM: 0, DENY: 1, ALLOW: 2, AUDIT: 3 };

const named = (step: AuthzTraceStep) => `${step.action} policy ${step.policy.namespace}/${step.policy.name}`;

/**
 * The decision for a request to a workload with a sidecar, given the policies that apply to it
 * (see `appliesTo`). Dry-run policies are evaluated and traced, never enforced.
 */
export function authorize(
  policies: readonly IstioObject[],
  attributes: AuthzAttributes,
  domains: TrustDomains,
): AuthzResult {
  const evaluator = new RuleEvaluator(attributes, domains);
  const trace = [...policies]
    .sort(
      (a, b) =>
        ORDER[actionOf(a)] - ORDER[actionOf(b)] ||
        a.namespace.localeCompare(b.namespace) ||
        a.name.localeCompare(b.name),
    )
    .map((policy) => evaluatePolicy(policy, evaluator));
  const notes = [...evaluator.notes];
  const enforced = trace.filter((step) => !step.dryRun);
  const decided = (
    decision: AuthzDecision,
    step: AuthzTraceStep | undefined,
    reason: string,
  ): AuthzResult => ({
    decision,
    ...(step ? { policy: { ...step.policy, action: step.action } } : {}),
    ...(step?.rule !== undefined ? { rule: step.rule } : {}),
    reason,
    trace,
    notes,
  });
  const custom = enforced.find((step) => step.action === 'CUSTOM' && step.matched);
  const customFirst = custom
    ? ` (the CUSTOM ${named(custom)} sends it to the external authorizer ${custom.provider ?? '(no provider named)'} first)`
    : '';
  const deny = enforced.find((step) => step.action === 'DENY' && step.matched);
  if (deny) return decided('DENY', deny, `Denied by ${named(deny)}, ${deny.reason}${customFirst}.`);
  const allows = enforced.filter((step) => step.action === 'ALLOW');
  const allow = allows.find((step) => step.matched);
  if (allows.length > 0 && !allow) {
    const names = allows.map((step) => `${step.policy.namespace}/${step.policy.name}`).join(', ');
    const why = allows
      .map((step) => `${step.policy.namespace}/${step.policy.name}: ${step.reason}`)
      .join('; ');
    return decided(
      'DENY',
      undefined,
      `Denied: ALLOW policies apply (${names}) and none matches, so the request is denied by default${customFirst}. ${why}.`,
    );
  }
  if (custom) {
    const then = allow
      ? `; if it allows, ${named(allow)} allows the request`
      : '; if it allows, nothing else denies the request';
    return decided(
      'CUSTOM',
      custom,
      `Needs the external authorizer ${custom.provider ?? '(no provider named)'}: ${named(custom)} ${custom.reason}${then}.`,
    );
  }
  if (allow) return decided('ALLOW', allow, `Allowed by ${named(allow)}, ${allow.reason}.`);
  const dryRuns = trace.filter((step) => step.dryRun && step.matched);
  const dry = dryRuns.length > 0 ? ` Dry-run policies that would act: ${dryRuns.map(named).join(', ')}.` : '';
  const audit = enforced.filter((step) => step.action === 'AUDIT' && step.matched);
  const audited = audit.length > 0 ? ` It is audited by ${audit.map(named).join(', ')}.` : '';
  const reason =
    trace.length === 0
      ? 'Allowed: no AuthorizationPolicy applies to this workload.'
      : 'Allowed: no DENY policy matches and no ALLOW policy applies.';
  return decided('ALLOW', undefined, `${reason}${dry}${audited}`);
}
