import 'server-only';
import { ApiException } from '@kubernetes/client-node';
import type { ApiErrorBody, ErrorCode, ErrorKind } from '@/lib/types/api';

/** HTTP status per error kind. A dependency's outage is 503, never a 4xx. */
const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
};

/** Exceptions to the per-kind status, where HTTP has a more precise answer. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  'invalid:kube': 422,
};

export function kindOf(code: ErrorCode): ErrorKind {
  return code.split(':', 1)[0] as ErrorKind;
}

export function statusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? STATUS_BY_KIND[kindOf(code)];
}

/**
 * The one error class the server throws on purpose. Its `message` is safe to show to the user;
 * internals stay in `cause`, which is logged once where the error becomes a response.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return statusOf(this.code);
  }

  toBody(): ApiErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Any thrown value as an AppError; what is not one already becomes a generic internal error. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('internal', 'Unexpected server error; see the dashboard logs.', { cause: error });
}

/** The `message` of a Kubernetes `Status` body, if the body is one. */
function statusMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const message = (parsed as Record<string, unknown>).message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

/** Network-level codes worth naming, from undici's `cause` (connection refused, DNS, TLS...). */
function networkCause(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string')
      return current.message.includes(code) ? current.message : `${code} ${current.message}`.trim();
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return 'the request timed out';
    current = current.cause;
  }
  return undefined;
}

/** The message of the deepest `cause`: `bad port` rather than undici's `fetch failed`. */
function innermostMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    if (current.message) message = current.message;
    current = current.cause;
  }
  return message;
}

/**
 * Turns what client-node throws into an AppError: `ApiException` (an HTTP answer from the API
 * server) by status, fetch failures (refused, DNS, TLS, timeout) as `unavailable:kube`.
 * @param server the API server's URL, named in messages so people know where we looked
 */
export function fromKubeError(error: unknown, server: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ApiException) {
    const status = error.code;
    const reason = statusMessage(error.body);
    const said = reason ? `: ${reason}` : '';
    if (status === 401) {
      return new AppError(
        'unauthorized:kube',
        `The Kubernetes API at ${server} rejected the credentials${said}`,
        {
          cause: error,
        },
      );
    }
    if (status === 403)
      return new AppError('forbidden:kube', `Forbidden by the Kubernetes API${said}`, { cause: error });
    if (status === 404) return new AppError('not-found', `Not found in the cluster${said}`, { cause: error });
    if (status === 409) return new AppError('conflict:kube', `Conflict${said}`, { cause: error });
    if (status === 422) {
      return new AppError('invalid:kube', `The Kubernetes API refused the object${said}`, { cause: error });
    }
    if (status === 429 || status >= 500) {
      return new AppError('unavailable:kube', `The Kubernetes API at ${server} answered ${status}${said}`, {
        cause: error,
      });
    }
    // Any other 4xx means we built a bad request: our fault, not the user's.
    return new AppError('internal:kube', `Unexpected answer ${status} from the Kubernetes API${said}`, {
      cause: error,
    });
  }
  const network = networkCause(error);
  if (network !== undefined) {
    return new AppError('unavailable:kube', `Cannot reach the Kubernetes API at ${server}: ${network}`, {
      cause: error,
    });
  }
  return new AppError(
    'unavailable:kube',
    `Cannot use the Kubernetes API at ${server}: ${innermostMessage(error)}`,
    {
      cause: error,
    },
  );
}
