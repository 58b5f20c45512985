/**
 * The resilience API's inputs: the service in the path, the history window in `?duration=`.
 * Problems are worded for the 400 answer (`duration: must be …`).
 */
import { z } from 'zod';

/** Default history window, in seconds. */
export const DEFAULT_RESILIENCE_WINDOW_SECONDS = 600;
export const MIN_RESILIENCE_WINDOW_SECONDS = 30;
export const MAX_RESILIENCE_WINDOW_SECONDS = 86_400;

const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes name (RFC 1123 label)');

/** `60s`, `10m`, `1h`, `1d` or bare seconds; NaN when unreadable. */
function seconds(text: string): number {
  const match = /^(\d+)(s|m|h|d)?$/.exec(text.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * ({ s: 1, m: 60, h: 3600, d: 86_400 }[match[2] ?? 's'] ?? 1);
}

const schema = z.object({
  namespace: dnsLabel,
  service: dnsLabel,
  duration: z
    .string()
    .optional()
    .transform((text) => (text === undefined ? DEFAULT_RESILIENCE_WINDOW_SECONDS : seconds(text)))
    .pipe(
      z
        .number({ error: 'must be a duration such as 60s, 10m or 1h' })
        .int()
        .min(MIN_RESILIENCE_WINDOW_SECONDS, `must be at least ${MIN_RESILIENCE_WINDOW_SECONDS}s`)
        .max(MAX_RESILIENCE_WINDOW_SECONDS, `must be at most ${MAX_RESILIENCE_WINDOW_SECONDS}s`),
    ),
});

export interface ResilienceQuery {
  namespace: string;
  service: string;
  /** history window, in seconds */
  windowSeconds: number;
}

export type ParsedResilienceQuery = { ok: true; query: ResilienceQuery } | { ok: false; problems: string[] };

export function parseResilienceQuery(
  path: { namespace: string; service: string },
  search: URLSearchParams,
): ParsedResilienceQuery {
  const result = schema.safeParse({ ...path, duration: search.get('duration') ?? undefined });
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    };
  }
  const { namespace, service, duration } = result.data;
  return { ok: true, query: { namespace, service, windowSeconds: duration } };
}
