/**
 * The traffic-split API's inputs, one schema for the route handlers: the path's namespace and
 * VirtualService name, and the PUT body. Weights are any finite numbers here: the patch builder
 * says in words what is wrong with one (not whole, out of range, not adding up to 100), placed at
 * its slider, which a schema error could not.
 */
import { z } from 'zod';
import type { TrafficSplitChange } from '../types/traffic-split';

/** A Kubernetes object or namespace name (RFC 1123 subdomain, as Istio objects allow). */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export const objectNameSchema = z.string().max(253).regex(OBJECT_NAME, 'must be a Kubernetes object name');
export const namespaceNameSchema = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name');

export const trafficSplitPathSchema = z.object({ namespace: namespaceNameSchema, name: objectNameSchema });

const destinationSchema = z.object({
  host: z.string().max(253),
  subset: z.string().min(1).max(253).optional(),
  port: z.number().int().min(1).max(65_535).optional(),
});

const weightEntrySchema = destinationSchema.extend({ weight: z.number() });

export const trafficSplitChangeSchema = z.object({
  resourceVersion: z.string().min(1, 'send the resourceVersion you read'),
  routes: z
    .array(
      z.object({
        protocol: z.enum(['http', 'tcp']).optional(),
        index: z.number().int().min(0),
        weights: z.array(weightEntrySchema).min(1).max(64),
      }),
    )
    .max(64),
  subsets: z
    .array(
      z.object({
        host: z.string().min(1).max(253),
        name: z.string().min(1).max(63),
        labels: z.record(z.string(), z.string()),
      }),
    )
    .max(16)
    .optional(),
  headerRoutes: z
    .array(
      z.object({
        beforeIndex: z.number().int().min(0),
        header: z.string().min(1).max(128),
        value: z.string().max(256),
        destination: destinationSchema,
      }),
    )
    .max(8)
    .optional(),
  dryRun: z.boolean().optional(),
}) satisfies z.ZodType<TrafficSplitChange>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
}

export function parseTrafficSplitChange(body: unknown): ParseResult<TrafficSplitChange> {
  const result = trafficSplitChangeSchema.safeParse(body);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: problemsOf(result.error) };
}

export function parseTrafficSplitPath(params: unknown): ParseResult<{ namespace: string; name: string }> {
  const result = trafficSplitPathSchema.safeParse(params);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: problemsOf(result.error) };
}

/** The list page's and `GET /api/traffic-split`'s query: namespaces, a service, all VirtualServices. */
export const trafficSplitListQuerySchema = z.object({
  namespace: namespaceNameSchema.optional().catch(undefined),
  service: objectNameSchema.optional().catch(undefined),
  all: z.stringbool().catch(false).default(false),
});

export type TrafficSplitListQuery = z.infer<typeof trafficSplitListQuerySchema>;

export function parseTrafficSplitListQuery(params: {
  get(name: string): string | null;
}): TrafficSplitListQuery {
  return trafficSplitListQuerySchema.parse({
    namespace: params.get('namespace') ?? undefined,
    service: params.get('service') ?? undefined,
    all: params.get('all') ?? undefined,
  });
}
