/**
 * The security policies with what they select: AuthorizationPolicies (action, scope, rules in
 * words), PeerAuthentications (level and modes), RequestAuthentications (JWT issuers), and per
 * workload the policies that apply in evaluation order and whether it denies by default.
 */
import type { ConfigSnapshot, IstioObject, WorkloadInfo } from '../types/mesh-config';
import type {
  AuthorizationPolicySummary,
  PeerAuthenticationSummary,
  PoliciesResponse,
  RequestAuthenticationSummary,
  WorkloadAuthz,
  WorkloadRef,
} from '../types/security';
import { actionOf, isDryRun } from './authz';
import { describeRule } from './authz-words';
import { declaredMode, portLevelModes } from './peer-authentication';
import { listRateLimits } from './rate-limits';
import {
  appliesTo,
  hasTargetRef,
  labelsMatch,
  ofKind,
  record,
  records,
  refOf,
  selectorOf,
  strings,
  text,
} from './spec';

const workloadRef = (workload: WorkloadInfo): WorkloadRef => ({
  ...refOf(workload),
  sidecar: workload.sidecar,
});

const selectorWords = (selector: Record<string, string> | undefined) =>
  selector
    ? Object.entries(selector)
        .map(([key, value]) => `${key}=${value}`)
        .join(', ')
    : '';

function authorizationSummary(snapshot: ConfigSnapshot, policy: IstioObject): AuthorizationPolicySummary {
  const action = actionOf(policy);
  const selector = selectorOf(policy);
  const targetRef = hasTargetRef(policy);
  const scope = targetRef
    ? 'targetRef'
    : selector
      ? 'workload'
      : policy.namespace === snapshot.rootNamespace
        ? 'mesh'
        : 'namespace';
  const rules = records(policy.spec.rules).map((rule, index) => ({
    index,
    text: describeRule(rule, action),
  }));
  const provider = text(record(policy.spec.provider).name);
  const target =
    scope === 'targetRef'
      ? 'the gateways or waypoints it targets'
      : scope === 'mesh'
        ? 'every workload in the mesh'
        : scope === 'namespace'
          ? `every workload in ${policy.namespace}`
          : `workloads ${selectorWords(selector)}${policy.namespace === snapshot.rootNamespace ? ' in every namespace' : ` in ${policy.namespace}`}`;
  const summary =
    rules.length === 0
      ? action === 'ALLOW'
        ? `ALLOW nothing: denies every request to ${target}`
        : `${action} with no rules: matches nothing on ${target}`
      : `${action} on ${target}: ${rules.map((rule) => rule.text).join('; ')}`;
  return {
    ...refOf(policy),
    action,
    ...(provider ? { provider } : {}),
    dryRun: isDryRun(policy),
    scope,
    ...(selector ? { selector } : {}),
    selects: snapshot.workloads
      .filter((workload) => appliesTo(policy, workload, snapshot.rootNamespace))
      .map(workloadRef),
    summary,
    rules,
  };
}

function peerSummary(snapshot: ConfigSnapshot, policy: IstioObject): PeerAuthenticationSummary {
  const selector = selectorOf(policy);
  const level = selector ? 'workload' : policy.namespace === snapshot.rootNamespace ? 'mesh' : 'namespace';
  const { mode } = declaredMode(policy.spec.mtls);
  const portLevel = portLevelModes(policy).map(({ port, mode: portMode }) => ({ port, mode: portMode }));
  const selects = snapshot.workloads.filter((workload) =>
    level === 'mesh'
      ? true
      : workload.namespace === policy.namespace && labelsMatch(selector ?? {}, workload.labels),
  );
  const target =
    level === 'mesh'
      ? 'the mesh'
      : level === 'namespace'
        ? `namespace ${policy.namespace}`
        : `workloads ${selectorWords(selector)} in ${policy.namespace}`;
  const ports = portLevel.map((entry) => `port ${entry.port} ${entry.mode}`).join(', ');
  const inherit =
    level === 'mesh'
      ? "Istio's default PERMISSIVE"
      : level === 'namespace'
        ? 'the mesh-wide mode'
        : 'the namespace mode';
  const summary = `${mode === 'UNSET' ? `inherits ${inherit}` : mode} for ${target}${ports ? `; ${ports}` : ''}`;
  return {
    ...refOf(policy),
    level,
    mode,
    portLevel,
    ...(selector ? { selector } : {}),
    selects: selects.map(workloadRef),
    summary,
  };
}

function requestAuthenticationSummary(
  snapshot: ConfigSnapshot,
  policy: IstioObject,
): RequestAuthenticationSummary {
  const selector = selectorOf(policy);
  return {
    ...refOf(policy),
    ...(selector ? { selector } : {}),
    selects: snapshot.workloads
      .filter((workload) => appliesTo(policy, workload, snapshot.rootNamespace))
      .map(workloadRef),
    issuers: records(policy.spec.jwtRules).flatMap((rule) => strings([rule.issuer])),
  };
}

const ORDER = { CUSTOM: 0, DENY: 1, ALLOW: 2, AUDIT: 3 } as const;

/** The policies that apply to `workload`, in evaluation order, and its default action. */
export function workloadAuthz(
  snapshot: ConfigSnapshot,
  workload: WorkloadInfo,
  candidates: readonly IstioObject[] = ofKind(snapshot, 'AuthorizationPolicy'),
): WorkloadAuthz {
  const policies = candidates
    .filter((policy) => appliesTo(policy, workload, snapshot.rootNamespace))
    .map((policy) => ({ ...refOf(policy), action: actionOf(policy), dryRun: isDryRun(policy) }))
    .sort(
      (a, b) =>
        ORDER[a.action] - ORDER[b.action] ||
        a.namespace.localeCompare(b.namespace) ||
        a.name.localeCompare(b.name),
    );
  const denyByDefault = policies.some((policy) => policy.action === 'ALLOW' && !policy.dryRun);
  return {
    ...refOf(workload),
    sidecar: workload.sidecar,
    policies,
    defaultAction: denyByDefault ? 'deny' : 'allow',
  };
}

/** Everything `GET /api/security/policies` lists, for the snapshot's namespaces (and the root's). */
export function listPolicies(snapshot: ConfigSnapshot): Omit<PoliciesResponse, 'warnings' | 'asOf'> {
  // Each workload's candidates: its namespace's policies and the root namespace's.
  const byNamespace = new Map<string, IstioObject[]>();
  for (const policy of ofKind(snapshot, 'AuthorizationPolicy')) {
    const list = byNamespace.get(policy.namespace) ?? [];
    list.push(policy);
    byNamespace.set(policy.namespace, list);
  }
  const sorted = (kind: 'AuthorizationPolicy' | 'PeerAuthentication' | 'RequestAuthentication') =>
    ofKind(snapshot, kind).sort(
      (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
    );
  return {
    authorizationPolicies: sorted('AuthorizationPolicy').map((policy) =>
      authorizationSummary(snapshot, policy),
    ),
    peerAuthentications: sorted('PeerAuthentication').map((policy) => peerSummary(snapshot, policy)),
    requestAuthentications: sorted('RequestAuthentication').map((policy) =>
      requestAuthenticationSummary(snapshot, policy),
    ),
    rateLimits: listRateLimits(snapshot),
    workloads: snapshot.workloads.map((workload) =>
      workloadAuthz(snapshot, workload, [
        ...(byNamespace.get(workload.namespace) ?? []),
        ...(workload.namespace === snapshot.rootNamespace
          ? []
          : (byNamespace.get(snapshot.rootNamespace) ?? [])),
      ]),
    ),
  };
}
