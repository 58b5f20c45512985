import type { ApiErrorBody, ErrorCode } from './types/api';

/** A failed call to the dashboard's own HTTP API, as the browser sees it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  /** the body's `details`, when the server sent any (a 409's current object, a 400's problems) */
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * Answers worth asking again at once: the network dropped (0), throttling (429), a proxy in
 * between failed (502, 504). Not 4xx answers, which only the caller can fix, nor 500/503 from our
 * server: it already tried the cluster, and the banner plus the next poll say more than retries.
 */
const TRANSIENT_STATUSES = new Set([0, 429, 502, 504]);

/** Whether a failed query may be retried automatically (never 401/403/404/409 and the like). */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ApiError) return TRANSIENT_STATUSES.has(error.status);
  return true;
}

/**
 * Turns a non-2xx response body into an ApiError. Bodies that are not our `{code, message}`
 * shape (a proxy's HTML error page, say) still give a readable message.
 */
export function apiErrorFromBody(status: number, statusText: string, bodyText: string): ApiError {
  const fallbackCode: ErrorCode = status >= 500 ? 'unavailable' : 'invalid';
  try {
    const body: unknown = JSON.parse(bodyText);
    if (isApiErrorBody(body)) return new ApiError(status, body.code, body.message, body.details);
  } catch {
    // Not JSON: fall through to the generic message.
  }
  const reason = statusText || `HTTP ${status}`;
  return new ApiError(status, fallbackCode, `The dashboard server answered ${status} ${reason}`.trim());
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const details = record.details;
  return (
    typeof record.code === 'string' &&
    typeof record.message === 'string' &&
    (details === undefined || (typeof details === 'object' && details !== null && !Array.isArray(details)))
  );
}

/**
 * The page's CSRF token, from the `meshscope-csrf-PORT` cookie the dashboard sets on every page
 * (one cookie per port: dashboards on other ports of the same host have their own). Empty outside
 * a browser.
 */
export function csrfTokenFromCookie(cookie: string, port: string): string {
  const name = `meshscope-csrf-${port}=`;
  for (const part of cookie.split(';')) {
    const trimmed = part.trim();
    if (trimmed.startsWith(name)) return trimmed.slice(name.length);
  }
  return '';
}

/** The port the page was loaded from, as the server names its cookies (80/443 when implicit). */
function pagePort(location: Location): string {
  return location.port || (location.protocol === 'https:' ? '443' : '80');
}

/** Headers every request gets: JSON, and for anything but GET/HEAD the page's CSRF token. */
function requestHeaders(init: RequestInit | undefined): Record<string, string> {
  const method = (init?.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD' && typeof document !== 'undefined') {
    headers['x-csrf-token'] = csrfTokenFromCookie(document.cookie, pagePort(window.location));
  }
  return headers;
}

/**
 * Fetches JSON from the dashboard's API. Writes carry the page's CSRF token (`x-csrf-token`). Throws ApiError for non-2xx answers and for network
 * failures (status 0, code `unavailable:network`).
 * @param path an absolute path such as `/api/namespaces`
 */
export async function apiFetch<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { ...requestHeaders(init), ...init?.headers },
    });
  } catch (error) {
    if (init?.signal?.aborted) throw error;
    throw new ApiError(0, 'unavailable:network', 'The dashboard server cannot be reached.');
  }
  if (!response.ok) {
    throw apiErrorFromBody(response.status, response.statusText, await response.text());
  }
  return (await response.json()) as T;
}
