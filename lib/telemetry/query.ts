/**
 * Checking a TelemetryQuery before any source runs it: namespaces must be Kubernetes names (they
 * end up inside PromQL), the window a positive number of seconds.
 */
import type { TelemetryQuery } from '../types/telemetry';

/** DNS-1123 label, as Kubernetes requires of namespace names. */
const namespaceName = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export type CheckedQuery =
  | { ok: true; namespaces: string[]; windowSeconds: number }
  | { ok: false; problem: string };

/** Sorted, de-duplicated namespaces and a whole-second window; or what is wrong with the query. */
export function checkTelemetryQuery(query: TelemetryQuery): CheckedQuery {
  const invalid = query.namespaces.filter((name) => !namespaceName.test(name));
  if (invalid.length > 0) return { ok: false, problem: `not namespace names: ${invalid.join(', ')}` };
  if (!Number.isFinite(query.windowSeconds) || query.windowSeconds < 1)
    return { ok: false, problem: `the window must be at least 1 second, not ${query.windowSeconds}` };
  return {
    ok: true,
    namespaces: [...new Set(query.namespaces)].sort(),
    windowSeconds: Math.round(query.windowSeconds),
  };
}
