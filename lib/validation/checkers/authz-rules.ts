import type { CheckContext } from '../checker';
import { defineChecker, ref } from '../checker';
import { HostIndex } from '../host-index';
import { isWildcardHost, splitNamespacedHost, toFqdn } from '../hosts';
import { at, records, texts } from '../spec';

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

/** Istio's string match in policies: `*`, `prefix*`, `*suffix`, or exact. */
export function policyValueMatches(pattern: string, value: string, caseInsensitive = false): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  if (p === '*') return true;
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  return p === v;
}

function validMethod(method: string): boolean {
  const trimmed = method.trim();
  if (trimmed === '') return false;
  if (trimmed === '*') return true;
  const upper = trimmed.toUpperCase();
  if (upper.endsWith('*') && !upper.startsWith('*'))
    return HTTP_METHODS.some((m) => m.startsWith(upper.slice(0, -1)));
  if (upper.startsWith('*') && !upper.endsWith('*'))
    return HTTP_METHODS.some((m) => m.endsWith(upper.slice(1)));
  return HTTP_METHODS.includes(upper);
}

/** Hosts requests may carry inside the mesh: Service and ServiceEntry hosts, VirtualService and Gateway hosts. */
function knownHosts(context: CheckContext): HostIndex<true> {
  return context.memo('authz-known-hosts', ['ServiceEntry', 'VirtualService', 'Gateway'], () => {
    const { index } = context;
    const hosts = new HostIndex<true>();
    for (const service of index.services) hosts.add(service.fqdn, true);
    for (const kind of ['ServiceEntry', 'VirtualService'] as const) {
      for (const object of index.objectsOf(kind)) {
        for (const host of texts(object.spec.hosts)) hosts.add(index.fqdn(host, object.namespace), true);
      }
    }
    for (const gateway of index.objectsOf('Gateway')) {
      for (const server of records(gateway.spec.servers)) {
        for (const entry of texts(server.hosts)) hosts.add(splitNamespacedHost(entry).host, true);
      }
    }
    return hosts;
  });
}

/** Every principal the mesh knows: `<trust domain>/ns/<namespace>/sa/<service account>`. */
function knownPrincipals(context: CheckContext): {
  domains: Set<string>;
  principals: string[];
  accounts: Set<string>;
} {
  return context.memo('authz-principals', [], () => {
    const { index } = context;
    const domains = new Set([index.mesh.trustDomain, ...index.mesh.trustDomainAliases]);
    const accounts = new Set(index.serviceAccounts);
    for (const namespace of index.namespaces.keys()) accounts.add(`${namespace}/default`);
    const principals: string[] = [];
    for (const domain of domains) {
      for (const account of accounts) {
        const [namespace, name] = account.split('/');
        principals.push(`${domain}/ns/${namespace}/sa/${name}`);
      }
    }
    return { domains, principals, accounts };
  });
}

const PRINCIPAL = /^(.+)\/ns\/([^/]+)\/sa\/([^/]+)$/;

/**
 * AuthorizationPolicy rules that name things that do not exist: source namespaces (with Istio's
 * `*` prefix and suffix forms; IST0101, KIA0101), principals whose service account does not exist
 * (KIA0106; foreign trust domains cannot be checked and are skipped), operation methods that are
 * not HTTP methods (KIA0102) and operation hosts no service, VirtualService or Gateway carries
 * (KIA0104). Such entries never match, which for an ALLOW policy silently denies.
 */
export const authzRules = defineChecker({
  id: 'authz-rules',
  kind: 'AuthorizationPolicy',
  check(policy, context) {
    const { index } = context;
    const subject = ref(policy);
    const namespaces = [...index.namespaces.keys()];
    records(policy.spec.rules).forEach((rule, ruleIndex) => {
      records(rule.from).forEach((from, fromIndex) => {
        const source = at(from, 'source');
        for (const field of ['namespaces', 'notNamespaces'] as const) {
          texts(at(source, field)).forEach((namespace, position) => {
            if (namespaces.length === 0 || namespaces.some((name) => policyValueMatches(namespace, name)))
              return;
            context.report(subject, {
              code: 'authz.source.namespace-not-found',
              path: `spec.rules[${ruleIndex}].from[${fromIndex}].source.${field}[${position}]`,
              message:
                `Source ${field === 'namespaces' ? 'namespace' : 'excluded namespace'} "${namespace}" matches no namespace, so this condition ${field === 'namespaces' ? 'never matches' : 'excludes nothing'}. ` +
                'Fix the name (a trailing or leading * matches by prefix or suffix).',
            });
          });
        }
        if (namespaces.length === 0) return;
        const { domains, principals, accounts } = knownPrincipals(context);
        for (const field of ['principals', 'notPrincipals'] as const) {
          texts(at(source, field)).forEach((principal, position) => {
            if (principal === '*') return;
            if (principal.startsWith('*') || principal.endsWith('*')) {
              if (principals.some((known) => policyValueMatches(principal, known))) return;
            } else {
              const parsed = PRINCIPAL.exec(principal);
              if (!parsed || !domains.has(parsed[1] ?? '')) return;
              if (accounts.has(`${parsed[2]}/${parsed[3]}`)) return;
            }
            context.report(subject, {
              code: 'authz.source.principal-not-found',
              path: `spec.rules[${ruleIndex}].from[${fromIndex}].source.${field}[${position}]`,
              message:
                `Principal "${principal}" names no service account the mesh knows (principals read <trust domain>/ns/<namespace>/sa/<account>), so no workload ever presents it. ` +
                'Fix the namespace or account name, or create the ServiceAccount.',
            });
          });
        }
      });
      records(rule.to).forEach((to, toIndex) => {
        const operation = at(to, 'operation');
        for (const field of ['methods', 'notMethods'] as const) {
          texts(at(operation, field)).forEach((method, position) => {
            if (validMethod(method)) return;
            context.report(subject, {
              code: 'authz.operation.method-invalid',
              path: `spec.rules[${ruleIndex}].to[${toIndex}].operation.${field}[${position}]`,
              message:
                `"${method}" is not an HTTP method (${HTTP_METHODS.join(', ')}), so it never matches a request. ` +
                'For gRPC, methods are always POST; put the gRPC method in paths.',
            });
          });
        }
        for (const field of ['hosts', 'notHosts'] as const) {
          texts(at(operation, field)).forEach((written, position) => {
            const host = written.replace(/:\d+$/, '').toLowerCase();
            if (host === '*' || host.endsWith('*')) return;
            const fqdn =
              isWildcardHost(host) || host.includes('.')
                ? host
                : toFqdn(host, policy.namespace, index.clusterDomain);
            if (knownHosts(context).overlapping(fqdn).length > 0) return;
            context.report(subject, {
              code: 'authz.operation.host-not-found',
              path: `spec.rules[${ruleIndex}].to[${toIndex}].operation.${field}[${position}]`,
              message:
                `Host "${written}" is not the host of any Service, ServiceEntry, VirtualService or Gateway, so requests rarely if ever carry it. ` +
                "Fix the host (it is compared with the request's Host header).",
            });
          });
        }
      });
    });
  },
});
