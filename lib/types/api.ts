/**
 * Shapes shared by every JSON endpoint of the dashboard's HTTP API.
 */

/** What went wrong, as `kind` or `kind:surface` (the surface names the dependency or field). */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

/** A stable, machine-readable error code such as `'unavailable:kube'` or `'not-found'`. */
export type ErrorCode = ErrorKind | `${ErrorKind}:${string}`;

/** The body of every non-2xx JSON response. Safe to show: never carries internals or credentials. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** A partial failure: one source degraded while the rest of the response is still valid. */
export interface ApiWarning {
  /** The dependency that degraded, e.g. `kube`, `prometheus`. */
  source: string;
  message: string;
}
