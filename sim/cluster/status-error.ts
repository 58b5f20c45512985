/**
 * Errors the simulated API server answers with, as `Status` objects the way kube-apiserver does
 * (see shared/research/k8s-api-surface.md §1.5).
 */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** `virtualservices.networking.istio.io` or `pods`: how error messages name a resource. */
export function qualifiedResource(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const statusErrors = {
  badRequest: (message: string) => new StatusError(400, 'BadRequest', message),
  unauthorized: () => new StatusError(401, 'Unauthorized', 'Unauthorized'),
  notFound: (plural: string, group: string, name: string) =>
    new StatusError(404, 'NotFound', `${qualifiedResource(plural, group)} "${name}" not found`, {
      name,
      group,
      kind: plural,
    }),
  pathNotFound: () =>
    new StatusError(404, 'NotFound', 'the server could not find the requested resource', {}),
  alreadyExists: (plural: string, group: string, name: string) =>
    new StatusError(409, 'AlreadyExists', `${qualifiedResource(plural, group)} "${name}" already exists`, {
      name,
      group,
      kind: plural,
    }),
  conflict: (plural: string, group: string, name: string) =>
    new StatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(plural, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group, kind: plural },
    ),
  invalid: (kind: string, group: string, name: string, causes: StatusCause[]) => {
    const subject = group ? `${kind}.${group}` : kind;
    const summary = causes
      .map((cause) => (cause.field ? `${cause.field}: ${cause.message}` : cause.message))
      .join(', ');
    return new StatusError(422, 'Invalid', `${subject} "${name}" is invalid: ${summary}`, {
      name,
      group,
      kind,
      causes,
    });
  },
  /** a request the server understood but cannot apply, such as a JSON patch whose `test` failed */
  unprocessable: (message: string) => new StatusError(422, 'Invalid', message, {}),
  methodNotAllowed: () =>
    new StatusError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    ),
  unsupportedMediaType: (accepted: string[]) =>
    new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    ),
  expired: (message: string) => new StatusError(410, 'Expired', message),
  tooManyRequests: (retryAfterSeconds: number) =>
    new StatusError(429, 'TooManyRequests', 'Too many requests, please try again later.', {
      retryAfterSeconds,
    }),
  serviceUnavailable: (message: string) => new StatusError(503, 'ServiceUnavailable', message),
};
