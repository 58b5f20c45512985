/**
 * The security APIs' inputs: `?namespaces=a,b` of the GET endpoints and the what-if request body.
 * Strict: a bad value is a 400 naming the field.
 */
import { z } from 'zod';
import type { AuthzCheckRequest } from '../types/security';
import { isIpBlock } from './match';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: service accounts and workload (Deployment, pod) names */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const MAX_NAMESPACES = 500;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
  };
}

const namespace = z.string().max(63).regex(NAMESPACE, 'must be a Kubernetes namespace name');
const objectName = z.string().min(1).max(253).regex(OBJECT_NAME, 'must be a Kubernetes object name');

const namespaceList = z
  .string()
  .transform((text) => [
    ...new Set(
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    ),
  ])
  .pipe(z.array(namespace).max(MAX_NAMESPACES, `at most ${MAX_NAMESPACES} namespaces`));

export interface SecurityQuery {
  /** empty = every namespace */
  namespaces: string[];
}

/** `?namespaces=a,b` (every namespace when absent or empty). */
export function parseSecurityQuery(params: URLSearchParams): ParseResult<SecurityQuery> {
  return parseWith(z.object({ namespaces: namespaceList.default([]) }), {
    namespaces: params.get('namespaces') ?? undefined,
  });
}

export interface MtlsQuery extends SecurityQuery {
  /** false: configuration only, no telemetry (the header's and overview's locks) */
  observed: boolean;
}

/** `GET /api/security/mtls?namespaces=a,b&observed=false` */
export function parseMtlsQuery(params: URLSearchParams): ParseResult<MtlsQuery> {
  return parseWith(
    z.object({
      namespaces: namespaceList.default([]),
      observed: z.stringbool({ error: 'must be true or false' }).default(true),
    }),
    { namespaces: params.get('namespaces') ?? undefined, observed: params.get('observed') ?? undefined },
  );
}

const HTTP_METHOD = /^[A-Z]+$/;

const authzCheckSchema = z.strictObject({
  source: z.strictObject({
    namespace,
    serviceAccount: objectName.optional(),
    principal: z
      .string()
      .min(1)
      .max(1024)
      .regex(
        /^(spiffe:\/\/)?[^/\s]+(\/[^\s]*)?$/,
        'must be a SPIFFE principal such as cluster.local/ns/NAMESPACE/sa/NAME',
      )
      .optional(),
    ip: z
      .string()
      .refine((value) => isIpBlock(value) && !value.includes('/'), 'must be an IPv4 or IPv6 address')
      .optional(),
    workload: objectName.optional(),
    sidecar: z.boolean().optional(),
    requestPrincipal: z.string().min(1).max(1024).optional(),
  }),
  destination: z.strictObject({ namespace, workload: objectName }),
  request: z.strictObject({
    method: z.string().regex(HTTP_METHOD, 'must be an HTTP method in capitals, such as GET'),
    path: z.string().startsWith('/', 'must start with /').max(4096),
    port: z
      .int('must be a port number')
      .min(1, 'must be a port, 1-65535')
      .max(65535, 'must be a port, 1-65535')
      .optional(),
    headers: z.record(z.string().min(1).max(256), z.string().max(8192)).optional(),
    host: z.string().min(1).max(1024).optional(),
    protocol: z.enum(['http', 'tcp']).optional(),
  }),
});

/** The body of `POST /api/security/authz/check`. */
export function parseAuthzCheckRequest(body: unknown): ParseResult<AuthzCheckRequest> {
  return parseWith<AuthzCheckRequest>(authzCheckSchema as z.ZodType<AuthzCheckRequest>, body);
}
