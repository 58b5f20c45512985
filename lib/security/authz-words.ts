/**
 * AuthorizationPolicy rules in words, as the policy list shows them: "allow GET, POST on /api/*
 * from service account default/frontend".
 */
import type { AuthzAction } from '../types/security';
import { type Raw, record, records, strings, text } from './spec';

const joined = (values: string[]) => values.join(', ');

/** `cluster.local/ns/a/sa/b` reads as "service account a/b"; other principals as they are. */
function principalWords(values: string[]): string {
  const accounts = values.map((value) => /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(value));
  if (accounts.every((match) => match !== null))
    return `service account${values.length > 1 ? 's' : ''} ${joined(accounts.map((match) => `${match?.[1]}/${match?.[2]}`))}`;
  return `principal${values.length > 1 ? 's' : ''} ${joined(values)}`;
}

function sourceWords(source: Raw): string {
  const parts: string[] = [];
  const field = (name: string) => strings(source[name]);
  if (field('principals').length > 0) parts.push(principalWords(field('principals')));
  if (field('serviceAccounts').length > 0) parts.push(`service accounts ${joined(field('serviceAccounts'))}`);
  if (field('namespaces').length > 0)
    parts.push(`namespace${field('namespaces').length > 1 ? 's' : ''} ${joined(field('namespaces'))}`);
  if (field('ipBlocks').length > 0) parts.push(`IPs ${joined(field('ipBlocks'))}`);
  if (field('remoteIpBlocks').length > 0) parts.push(`remote IPs ${joined(field('remoteIpBlocks'))}`);
  if (field('requestPrincipals').length > 0)
    parts.push(`JWT principals ${joined(field('requestPrincipals'))}`);
  const not = (name: string, words: string) => {
    const values = field(name);
    if (values.length === 0) return;
    parts.push(
      values.length === 1 && values[0] === '*'
        ? `callers without ${words}`
        : `callers other than ${joined(values)}`,
    );
  };
  not('notPrincipals', 'a mutual-TLS identity (plaintext)');
  not('notServiceAccounts', 'a mutual-TLS identity (plaintext)');
  not('notNamespaces', 'a mutual-TLS identity (plaintext)');
  not('notRequestPrincipals', 'an authenticated JWT');
  if (field('notIpBlocks').length > 0) parts.push(`IPs outside ${joined(field('notIpBlocks'))}`);
  if (field('notRemoteIpBlocks').length > 0)
    parts.push(`remote IPs outside ${joined(field('notRemoteIpBlocks'))}`);
  return parts.length > 0 ? parts.join(' and ') : 'any caller';
}

function operationWords(operation: Raw): string {
  const field = (name: string) => strings(operation[name]);
  const parts: string[] = [];
  parts.push(
    field('methods').length > 0
      ? joined(field('methods'))
      : field('notMethods').length > 0
        ? `methods other than ${joined(field('notMethods'))}`
        : 'any method',
  );
  if (field('paths').length > 0) parts.push(`on ${joined(field('paths'))}`);
  if (field('notPaths').length > 0) parts.push(`on paths other than ${joined(field('notPaths'))}`);
  if (field('hosts').length > 0) parts.push(`to hosts ${joined(field('hosts'))}`);
  if (field('notHosts').length > 0) parts.push(`to hosts other than ${joined(field('notHosts'))}`);
  if (field('ports').length > 0)
    parts.push(`on port${field('ports').length > 1 ? 's' : ''} ${joined(field('ports'))}`);
  if (field('notPorts').length > 0) parts.push(`on ports other than ${joined(field('notPorts'))}`);
  return parts.join(' ');
}

function conditionWords(condition: Raw): string {
  const key = text(condition.key) ?? '?';
  const values = strings(condition.values);
  const notValues = strings(condition.notValues);
  const parts: string[] = [];
  if (values.length > 0) parts.push(`${key} is ${values.join(' or ')}`);
  if (notValues.length > 0) parts.push(`${key} is not ${notValues.join(' or ')}`);
  return parts.join(' and ');
}

const VERBS: Record<AuthzAction, string> = {
  ALLOW: 'allow',
  DENY: 'deny',
  AUDIT: 'audit',
  CUSTOM: 'ask the external authorizer about',
};

/** One rule in words, e.g. "allow GET, POST on /api/* from service account default/frontend". */
export function describeRule(rule: Raw, action: AuthzAction): string {
  const to = records(rule.to).map((entry) => operationWords(record(entry.operation)));
  const from = records(rule.from).map((entry) => sourceWords(record(entry.source)));
  const when = records(rule.when)
    .map(conditionWords)
    .filter((words) => words !== '');
  const what = to.length > 0 ? to.join(' or ') : 'every request';
  const who = from.length > 0 ? ` from ${from.join(' or ')}` : '';
  const condition = when.length > 0 ? ` when ${when.join(' and ')}` : '';
  return `${VERBS[action]} ${what}${who}${condition}`;
}
