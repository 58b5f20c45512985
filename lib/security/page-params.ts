/**
 * The security page's URL state: namespaces, tab, selected workload and the what-if inputs, so a
 * view (and a what-if question) can be bookmarked and shared. Lenient: a bad value falls back to
 * its default, so an old bookmark still opens.
 */
import { z } from 'zod';
import type { AuthzCheckRequest } from '../types/security';

export const SECURITY_TABS = ['mtls', 'policies', 'whatif'] as const;
export type SecurityTab = (typeof SECURITY_TABS)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const OBJECT_NAME = /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

/** The what-if form's fields, as typed (strings), so a half-filled form survives in the URL. */
export interface WhatIfInputs {
  /** source namespace */
  srcNs: string;
  /** source workload in srcNs (fills the service account and sidecar) */
  srcWorkload: string;
  srcSa: string;
  srcIp: string;
  dstNs: string;
  dstWorkload: string;
  method: string;
  path: string;
  port: string;
  /** one `name: value` per line */
  headers: string;
}

export interface SecurityPageState extends WhatIfInputs {
  /** empty = every namespace */
  namespaces: string[];
  tab: SecurityTab;
  /** `namespace/name` of the workload whose policy set is open; empty for none */
  workload: string;
}

export const EMPTY_WHAT_IF: WhatIfInputs = {
  srcNs: '',
  srcWorkload: '',
  srcSa: '',
  srcIp: '',
  dstNs: '',
  dstWorkload: '',
  method: 'GET',
  path: '/',
  port: '',
  headers: '',
};

const text = (max: number) => z.string().max(max).catch('');
const name = (pattern: RegExp) => z.union([z.string().max(253).regex(pattern), z.literal('')]).catch('');

const schema = z.object({
  namespaces: z
    .string()
    .transform((value) => [...new Set(value.split(',').map((part) => part.trim()))])
    .pipe(z.array(z.string().max(63).regex(NAMESPACE_NAME)).max(500))
    .catch([]),
  tab: z.enum(SECURITY_TABS).catch('mtls'),
  workload: z
    .union([
      z
        .string()
        .max(320)
        .regex(/^[a-z0-9][-a-z0-9]*\/[a-z0-9][-.a-z0-9]*$/),
      z.literal(''),
    ])
    .catch(''),
  srcNs: name(NAMESPACE_NAME),
  srcWorkload: name(OBJECT_NAME),
  srcSa: name(OBJECT_NAME),
  srcIp: text(64),
  dstNs: name(NAMESPACE_NAME),
  dstWorkload: name(OBJECT_NAME),
  method: z.enum(HTTP_METHODS).catch('GET'),
  path: text(2048),
  port: z.union([z.string().regex(/^\d{1,5}$/), z.literal('')]).catch(''),
  headers: text(4096),
});

const KEYS = Object.keys(schema.shape) as (keyof SecurityPageState)[];

export function parseSecurityPageState(params: URLSearchParams): SecurityPageState {
  const raw: Record<string, string> = {};
  for (const key of KEYS) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = schema.parse({
    ...raw,
    namespaces: raw.namespaces ?? '',
    method: raw.method ?? 'GET',
    path: raw.path ?? '/',
  });
  return { ...parsed, namespaces: parsed.namespaces.filter((entry) => entry !== '') };
}

/** The page's query string: only what differs from the defaults. */
export function securityPageSearch(state: SecurityPageState): string {
  const params = new URLSearchParams();
  if (state.namespaces.length > 0) params.set('namespaces', state.namespaces.join(','));
  if (state.tab !== 'mtls') params.set('tab', state.tab);
  if (state.workload) params.set('workload', state.workload);
  for (const key of Object.keys(EMPTY_WHAT_IF) as (keyof WhatIfInputs)[]) {
    if (state[key] !== EMPTY_WHAT_IF[key]) params.set(key, state[key]);
  }
  return params.toString();
}

/** `name: value` lines to headers; lines without a colon are problems. */
export function parseHeaderLines(lines: string): { headers: Record<string, string>; problems: string[] } {
  const headers: Record<string, string> = {};
  const problems: string[] = [];
  for (const [index, line] of lines.split('\n').entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const key = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key)) {
      problems.push(`Header line ${index + 1} must read "name: value".`);
      continue;
    }
    headers[key] = line.slice(colon + 1).trim();
  }
  return { headers, problems };
}

export type WhatIfBuild = { ok: true; request: AuthzCheckRequest } | { ok: false; problems: string[] };

/** The check request the form's inputs ask, or what is missing or wrong, in words. */
export function buildWhatIfRequest(inputs: WhatIfInputs): WhatIfBuild {
  const problems: string[] = [];
  if (!inputs.srcNs) problems.push('Choose the source namespace.');
  if (!inputs.dstNs || !inputs.dstWorkload) problems.push('Choose the destination workload.');
  if (!inputs.path.startsWith('/')) problems.push('The path must start with "/".');
  const port = inputs.port === '' ? undefined : Number(inputs.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    problems.push('The port must be between 1 and 65535.');
  const { headers, problems: headerProblems } = parseHeaderLines(inputs.headers);
  problems.push(...headerProblems);
  if (problems.length > 0) return { ok: false, problems };
  const source: AuthzCheckRequest['source'] = { namespace: inputs.srcNs };
  if (inputs.srcWorkload) source.workload = inputs.srcWorkload;
  if (inputs.srcSa) source.serviceAccount = inputs.srcSa;
  if (inputs.srcIp.trim()) source.ip = inputs.srcIp.trim();
  const request: AuthzCheckRequest['request'] = { method: inputs.method, path: inputs.path };
  if (port !== undefined) request.port = port;
  if (Object.keys(headers).length > 0) request.headers = headers;
  return {
    ok: true,
    request: { source, destination: { namespace: inputs.dstNs, workload: inputs.dstWorkload }, request },
  };
}
