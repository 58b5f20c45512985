/** The resilience editors' PUT bodies, checked at the edge; problems are worded for a 400. */
import { z } from 'zod';
import type { CircuitBreakerChange, RoutePolicyChange } from './edit-types';

const name = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes name');
const ref = z.object({ namespace: name, name });
const section = z.record(z.string(), z.unknown());
const resourceVersion = z.string().min(1, 'is required');

const routeChange = z.object({
  virtualService: ref,
  resourceVersion,
  routes: z
    .array(
      z.object({
        index: z.number().int().min(0),
        fault: section.nullable().optional(),
        timeout: z.string().nullable().optional(),
        retries: section.nullable().optional(),
      }),
    )
    .min(1, 'name at least one route'),
  dryRun: z.boolean().optional(),
});

const breakerChange = z.object({
  destinationRule: ref,
  resourceVersion,
  subset: z.string().nullable(),
  connectionPool: section.nullable().optional(),
  outlierDetection: section.nullable().optional(),
  dryRun: z.boolean().optional(),
});

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function parse<T>(schema: z.ZodType, body: unknown): Parsed<T> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data as T };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`),
  };
}

export function parseRoutePolicyChange(body: unknown): Parsed<RoutePolicyChange> {
  return parse<RoutePolicyChange>(routeChange, body);
}

export function parseCircuitBreakerChange(body: unknown): Parsed<CircuitBreakerChange> {
  return parse<CircuitBreakerChange>(breakerChange, body);
}
