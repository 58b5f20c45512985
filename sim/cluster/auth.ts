/**
 * Identities and authorization of the simulated cluster: bearer tokens from a users table and
 * RBAC-style rules per verb, API group, resource and namespace, the way kube-apiserver's RBAC
 * authorizer decides. SelfSubjectAccessReview and TokenReview answer from the same tables.
 */
import { randomBytes } from 'node:crypto';

export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  /** `pods`, `pods/log`, `*` */
  resources: string[];
  /** empty or absent: every namespace */
  namespaces?: string[];
}

export interface SimulatedUser {
  /** short name used for the kubeconfig file, e.g. `admin` */
  id: string;
  username: string;
  groups: string[];
  token: string;
  rules: PolicyRule[];
  /**
   * resources (`secrets`, `pods/proxy`) this user may never touch whatever the rules say: a
   * shorthand for Kubernetes' `view` role, which lists every readable resource but these
   */
  exceptResources?: string[];
}

export interface AccessRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const readVerbs = ['get', 'list', 'watch'];

/** Kubernetes' built-in `view` role: read everything but secrets and proxies into pods. */
const viewRules: PolicyRule[] = [
  { verbs: readVerbs, apiGroups: ['*'], resources: ['*'] },
  {
    verbs: ['create'],
    apiGroups: ['authorization.k8s.io'],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
  },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];

const viewerExceptions = ['secrets', 'pods/proxy', 'pods/portforward', 'pods/exec', 'services/proxy'];

export function defaultUsers(tokens: Partial<Record<string, string>> = {}): SimulatedUser[] {
  const token = (id: string) => tokens[id] ?? randomBytes(24).toString('base64url');
  return [
    {
      id: 'admin',
      username: 'meshscope-admin',
      groups: ['system:masters', 'system:authenticated'],
      token: token('admin'),
      rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    },
    {
      id: 'viewer',
      username: 'meshscope-viewer',
      groups: ['system:authenticated'],
      token: token('viewer'),
      rules: viewRules,
      exceptResources: viewerExceptions,
    },
  ];
}

export class Authorizer {
  private readonly byToken: Map<string, SimulatedUser>;

  constructor(readonly users: SimulatedUser[]) {
    this.byToken = new Map(users.map((user) => [user.token, user]));
  }

  authenticate(authorization: string | undefined): SimulatedUser | undefined {
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    return match?.[1] ? this.byToken.get(match[1].trim()) : undefined;
  }

  /** Adds an identity (tests: a user with rights in some namespaces only). */
  addUser(user: SimulatedUser): void {
    this.users.push(user);
    this.byToken.set(user.token, user);
  }

  userForToken(token: string): SimulatedUser | undefined {
    return this.byToken.get(token);
  }

  allows(user: SimulatedUser, request: AccessRequest): boolean {
    const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
    if (user.exceptResources?.includes(resource)) return false;
    return user.rules.some((rule) => ruleAllows(rule, request));
  }

  /** The message kube-apiserver gives with a 403. */
  forbiddenMessage(user: SimulatedUser, request: AccessRequest): string {
    const qualified = request.group ? `${request.resource}.${request.group}` : request.resource;
    const subject = request.name ? `${qualified} "${request.name}"` : qualified;
    const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
    const scope = request.namespace ? `in the namespace "${request.namespace}"` : 'at the cluster scope';
    return `${subject} is forbidden: User "${user.username}" cannot ${request.verb} resource "${resource}" in API group "${request.group}" ${scope}`;
  }
}

function matches(list: string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}

/** As RBAC's ResourceMatches: `*` covers subresources too, `pods/*` every pod subresource. */
function resourceMatches(rule: PolicyRule, request: AccessRequest): boolean {
  if (!request.subresource) return matches(rule.resources, request.resource);
  const combined = `${request.resource}/${request.subresource}`;
  return rule.resources.some(
    (entry) => entry === '*' || entry === combined || entry === `${request.resource}/*`,
  );
}

function ruleAllows(rule: PolicyRule, request: AccessRequest): boolean {
  if (!matches(rule.verbs, request.verb) || !matches(rule.apiGroups, request.group)) return false;
  if (!resourceMatches(rule, request)) return false;
  if (rule.namespaces && rule.namespaces.length > 0) {
    return request.namespace !== undefined && rule.namespaces.includes(request.namespace);
  }
  return true;
}
