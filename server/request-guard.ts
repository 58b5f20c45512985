import 'server-only';
import { AppError } from './errors';

/**
 * A write must come from the dashboard's own pages: a JSON body (which a cross-site form or a
 * "simple" cross-origin fetch cannot send without a CORS preflight, which we never grant) and, when
 * the browser names an Origin, the dashboard's own host. A first line against cross-site request
 * forgery until sessions and CSRF tokens exist (research/reliability-security.md, S2).
 */
export function assertSameOriginJson(request: Request): void {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError('invalid:content-type', 'Send the change as JSON (Content-Type: application/json).');
  }
  const origin = request.headers.get('origin');
  if (origin === null) return;
  const hosts = [request.headers.get('x-forwarded-host'), request.headers.get('host')].filter(
    (host): host is string => host !== null && host !== '',
  );
  let originHost: string | undefined;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = undefined;
  }
  if (originHost === undefined || !hosts.includes(originHost)) {
    throw new AppError('forbidden:origin', "Changes are accepted only from the dashboard's own pages.");
  }
}

/** The request's JSON body; a body that is not JSON is the caller's mistake (400). */
export async function jsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch (error) {
    throw new AppError('invalid', 'The request body is not valid JSON.', { cause: error });
  }
}
