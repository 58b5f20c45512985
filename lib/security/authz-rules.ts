/**
 * One AuthorizationPolicy rule against a request, as a server sidecar matches it, with the reason in
 * words: `from`, `to` and `when` ANDed; the entries of `from` and `to` ORed; the fields of one entry
 * ANDed and the values of one field ORed. A `not*` field matches when the attribute is absent
 * (`notPrincipals: ["*"]` matches plaintext callers). On TCP, HTTP-only fields make an ALLOW rule
 * void and are dropped from DENY, AUDIT and CUSTOM rules (they then apply more widely), as istiod
 * builds them.
 */
import type { AuthzAction } from '../types/security';
import { ipInBlock, matchesPath, matchesValue } from './match';
import { type Raw, record, records, strings, text } from './spec';

/** What the destination sidecar knows about a request. */
export interface AuthzAttributes {
  /** the caller's SPIFFE principal without `spiffe://`; absent without mutual TLS */
  principal?: string;
  /** the JWT principal (`ISS/SUB`) */
  requestPrincipal?: string;
  sourceIp?: string;
  destinationIp?: string;
  method: string;
  /** the path; its query string and fragment are ignored */
  path: string;
  host?: string;
  /** the workload port the request arrived on */
  port?: number;
  /** lower-case names */
  headers: Record<string, string>;
  protocol: 'http' | 'tcp';
}

export interface TrustDomains {
  trustDomain: string;
  aliases: readonly string[];
}

export interface Check {
  ok: boolean;
  words: string;
}

const HTTP_ONLY_FIELDS = [
  'methods',
  'notMethods',
  'paths',
  'notPaths',
  'hosts',
  'notHosts',
  'requestPrincipals',
  'notRequestPrincipals',
];

const list = (values: string[]) => values.map((value) => `"${value}"`).join(', ');

/** `cluster.local/ns/a/sa/b` -> namespace `a`, service account `a/b`. */
export function identityOf(principal: string | undefined): { namespace?: string; serviceAccount?: string } {
  const match = principal ? /(?:^|\/)ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal) : null;
  if (!match?.[1] || !match[2]) return {};
  return { namespace: match[1], serviceAccount: `${match[1]}/${match[2]}` };
}

/** Principal match with trust domain aliases: a local trust domain in the policy matches any alias. */
function principalMatches(pattern: string, principal: string, domains: TrustDomains): boolean {
  if (matchesValue(pattern, principal)) return true;
  const local = new Set([domains.trustDomain, ...domains.aliases]);
  const [patternDomain, ...patternRest] = pattern.split('/');
  const [actualDomain, ...actualRest] = principal.split('/');
  if (!patternDomain || !actualDomain || !local.has(patternDomain) || !local.has(actualDomain)) return false;
  return matchesValue(patternRest.join('/'), actualRest.join('/'));
}

function hostMatches(pattern: string, host: string): boolean {
  if (matchesValue(pattern, host, { ignoreCase: true })) return true;
  const withoutPort = /^(.*):\d+$/.exec(host)?.[1];
  return withoutPort !== undefined && matchesValue(pattern, withoutPort, { ignoreCase: true });
}

interface FieldSpec {
  /** the positive field's name: `principals`; the negative one is `notPrincipals` */
  field: string;
  /** the attribute in words: `principal`, `method` */
  label: string;
  actual: string | undefined;
  /** why the attribute is absent: `no principal (plaintext)` */
  absent: string;
  matches: (pattern: string, value: string) => boolean;
}

/** The checks of one field pair (`principals`, `notPrincipals`) that the entry sets. */
function fieldChecks(entry: Raw, spec: FieldSpec): Check[] {
  const checks: Check[] = [];
  const positive = strings(entry[spec.field]);
  const negativeField = `not${spec.field[0]?.toUpperCase()}${spec.field.slice(1)}`;
  const negative = strings(entry[negativeField]);
  const { actual } = spec;
  if (positive.length > 0) {
    const hit = actual === undefined ? undefined : positive.find((pattern) => spec.matches(pattern, actual));
    checks.push(
      actual === undefined
        ? { ok: false, words: `${spec.absent}, so ${spec.field} [${list(positive)}] cannot match` }
        : hit === undefined
          ? { ok: false, words: `${spec.label} ${actual} is not in ${spec.field} [${list(positive)}]` }
          : { ok: true, words: `${spec.label} ${actual} matches ${spec.field} "${hit}"` },
    );
  }
  if (negative.length > 0) {
    const hit = actual === undefined ? undefined : negative.find((pattern) => spec.matches(pattern, actual));
    checks.push(
      actual === undefined
        ? { ok: true, words: `${spec.absent}, which ${negativeField} [${list(negative)}] cannot exclude` }
        : hit === undefined
          ? { ok: true, words: `${spec.label} ${actual} is not in ${negativeField} [${list(negative)}]` }
          : { ok: false, words: `${spec.label} ${actual} is excluded by ${negativeField} "${hit}"` },
    );
  }
  return checks;
}

export class RuleEvaluator {
  readonly notes = new Set<string>();
  private readonly identity: { namespace?: string; serviceAccount?: string };

  constructor(
    private readonly attributes: AuthzAttributes,
    private readonly domains: TrustDomains,
  ) {
    this.identity = identityOf(attributes.principal);
  }

  private get noIdentity() {
    return 'no peer identity (the connection is not mutual TLS)';
  }

  source(source: Raw): Check[] {
    const a = this.attributes;
    const ip = (pattern: string, value: string) => ipInBlock(value, pattern);
    return [
      ...fieldChecks(source, {
        field: 'principals',
        label: 'principal',
        actual: a.principal,
        absent: this.noIdentity,
        matches: (p, v) => principalMatches(p, v, this.domains),
      }),
      ...fieldChecks(source, {
        field: 'namespaces',
        label: 'source namespace',
        actual: this.identity.namespace,
        absent: this.noIdentity,
        matches: (p, v) => matchesValue(p, v),
      }),
      ...fieldChecks(source, {
        field: 'serviceAccounts',
        label: 'service account',
        actual: this.identity.serviceAccount,
        absent: this.noIdentity,
        matches: (p, v) => matchesValue(p, v),
      }),
      ...fieldChecks(source, {
        field: 'requestPrincipals',
        label: 'request principal',
        actual: a.requestPrincipal,
        absent: 'no request principal (no authenticated JWT)',
        matches: (p, v) => matchesValue(p, v),
      }),
      ...fieldChecks(source, {
        field: 'ipBlocks',
        label: 'source IP',
        actual: a.sourceIp,
        absent: 'the source IP is not known',
        matches: ip,
      }),
      ...fieldChecks(source, {
        field: 'remoteIpBlocks',
        label: 'remote IP',
        actual: a.sourceIp,
        absent: 'the remote IP is not known',
        matches: ip,
      }),
    ];
  }

  operation(operation: Raw): Check[] {
    const a = this.attributes;
    const path = a.path.split(/[?#]/, 1)[0] ?? a.path;
    return [
      ...fieldChecks(operation, {
        field: 'hosts',
        label: 'host',
        actual: a.host,
        absent: 'the host is not known',
        matches: hostMatches,
      }),
      ...fieldChecks(operation, {
        field: 'ports',
        label: 'port',
        actual: a.port === undefined ? undefined : String(a.port),
        absent: 'the port is not known',
        matches: (p, v) => p === v,
      }),
      ...fieldChecks(operation, {
        field: 'methods',
        label: 'method',
        actual: a.method,
        absent: 'no method',
        matches: (p, v) => matchesValue(p, v),
      }),
      ...fieldChecks(operation, {
        field: 'paths',
        label: 'path',
        actual: path,
        absent: 'no path',
        matches: matchesPath,
      }),
    ];
  }

  /** A `when` condition; keys the what-if cannot know are absent, with a note. */
  condition(condition: Raw): Check[] {
    const key = text(condition.key) ?? '';
    const a = this.attributes;
    const header = /^request\.headers\[(.+)\]$/.exec(key)?.[1];
    let actual: string | undefined;
    let matches = (pattern: string, value: string) => matchesValue(pattern, value);
    if (header !== undefined) actual = a.headers[header.toLowerCase()];
    else if (key === 'source.ip' || key === 'remote.ip') {
      actual = a.sourceIp;
      matches = (pattern, value) => ipInBlock(value, pattern);
    } else if (key === 'destination.ip') {
      actual = a.destinationIp;
      matches = (pattern, value) => ipInBlock(value, pattern);
    } else if (key === 'source.namespace') actual = this.identity.namespace;
    else if (key === 'source.principal') {
      actual = a.principal;
      matches = (pattern, value) => principalMatches(pattern, value, this.domains);
    } else if (key === 'destination.port') actual = a.port === undefined ? undefined : String(a.port);
    else if (key === 'request.auth.principal') actual = a.requestPrincipal;
    else this.notes.add(`condition ${key} is not known to the what-if check; it is evaluated as absent`);
    return fieldChecks(
      { values: condition.values, notValues: condition.notValues },
      { field: 'values', label: key, actual, absent: `${key} is absent`, matches },
    ).map((check) => ({ ...check, words: `when ${check.words}` }));
  }

  /** Whether a rule matches, and why (or the first reason it does not). */
  rule(rule: Raw, action: AuthzAction): Check {
    const tcp = this.attributes.protocol === 'tcp';
    const httpOnly = (entry: Raw) => HTTP_ONLY_FIELDS.filter((field) => strings(entry[field]).length > 0);
    const from = records(rule.from).map((entry) => record(entry.source));
    const to = records(rule.to).map((entry) => record(entry.operation));
    let when = records(rule.when);
    const httpFields = [
      ...new Set([
        ...from.flatMap(httpOnly),
        ...to.flatMap(httpOnly),
        ...when.filter((c) => text(c.key)?.startsWith('request.')).map((c) => text(c.key) ?? ''),
      ]),
    ];
    const strip = (entry: Raw) =>
      Object.fromEntries(Object.entries(entry).filter(([key]) => !HTTP_ONLY_FIELDS.includes(key)));
    let sources = from;
    let operations = to;
    const words: string[] = [];
    if (tcp && httpFields.length > 0) {
      if (action === 'ALLOW')
        return {
          ok: false,
          words: `it uses HTTP-only fields (${httpFields.join(', ')}) and the request is TCP, so Istio ignores the rule`,
        };
      // DENY, AUDIT and CUSTOM drop the HTTP-only fields for TCP: the rule applies more widely.
      sources = from.map(strip);
      operations = to.map(strip);
      when = when.filter((c) => !text(c.key)?.startsWith('request.'));
      words.push(`its HTTP-only fields (${httpFields.join(', ')}) are ignored for TCP`);
    }
    for (const [part, entries, evaluate] of [
      ['from', sources, (entry: Raw) => this.source(entry)],
      ['to', operations, (entry: Raw) => this.operation(entry)],
    ] as const) {
      if (entries.length === 0) continue;
      const results = entries.map((entry) => evaluate(entry));
      const index = results.findIndex((checks) => checks.every((check) => check.ok));
      if (index === -1) {
        const first = results.map((checks) => checks.find((check) => !check.ok)?.words ?? '');
        return {
          ok: false,
          words:
            first.length === 1 ? (first[0] ?? '') : first.map((w, i) => `${part}[${i}]: ${w}`).join('; '),
        };
      }
      const matched = results[index] ?? [];
      words.push(
        matched.length === 0
          ? `${part}[${index}] sets nothing, so it matches any request`
          : matched.map((check) => check.words).join(', '),
      );
    }
    for (const condition of when) {
      const checks = this.condition(condition);
      const failed = checks.find((check) => !check.ok);
      if (failed) return { ok: false, words: failed.words };
      words.push(...checks.map((check) => check.words));
    }
    return {
      ok: true,
      words: words.length > 0 ? words.join('; ') : 'the rule is empty, so it matches every request',
    };
  }
}
