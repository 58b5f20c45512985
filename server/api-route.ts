import 'server-only';
import { authenticate } from './auth/authenticate';
import { type Caller, runAsCaller, runAsDashboard } from './auth/caller';
import { histogram } from './metrics';
import { assertAllowedHost, assertCsrfToken, assertSameOriginJson, requestHost } from './request-guard';
import { errorResponse } from './responses';

/**
 * What a route may do: `public` answers anyone (health probes; cluster calls as the dashboard),
 * `read` needs a signed-in caller, `write` needs a signed-in caller and a same-origin JSON request
 * with the session's CSRF token, `sign-in` needs a same-origin JSON request and no caller (the
 * handler checks the credential it is given).
 */
export type RouteAccess = 'public' | 'read' | 'write' | 'sign-in';

export interface RouteOptions {
  /** The route's path pattern as Next names it (`/api/graph`, `/api/config/[kind]/[namespace]/[name]`). */
  readonly route: string;
  readonly access: RouteAccess;
}

/** What a handler gets: the request, the route's resolved dynamic segments, and who asks. */
export interface RouteInput<Params> {
  readonly request: Request;
  readonly params: Params;
  /** the signed-in caller (`read` and `write` routes); undefined for `public` and `sign-in` */
  readonly caller: Caller | undefined;
}

type NextRouteContext<Params> = { params: Promise<Params> };

const routeDuration = histogram<'route' | 'method' | 'status'>({
  name: 'meshscope_http_request_duration_seconds',
  help: 'Time to answer an API request, by route pattern, method and status.',
  labelNames: ['route', 'method', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/**
 * Every API route is one of these: the Host allow-list and the access check run inside the route
 * itself (not only in proxy.ts), the handler runs as the caller (server/auth/caller.ts: getCluster()
 * and the caches follow it), a thrown error becomes the safe `{code, message}` answer, and the
 * request is counted and timed per route pattern in `/metrics`.
 *
 *   export const GET = apiRoute({ route: '/api/graph', access: 'read' }, async ({ request }) => ...);
 */
export function apiRoute<Params = Record<string, never>>(
  options: RouteOptions,
  handler: (input: RouteInput<Params>) => Promise<Response> | Response,
): (request: Request, context?: NextRouteContext<Params>) => Promise<Response> {
  return async (request, context) => {
    const stopTimer = routeDuration.startTimer({ route: options.route, method: request.method });
    let response: Response;
    try {
      // Probes are exempt: the kubelet sends `Host: POD_IP:PORT`, and they reveal nothing.
      if (options.access !== 'public') assertAllowedHost(request);
      const params = context?.params ? await context.params : ({} as Params);
      if (options.access === 'public') {
        response = await runAsDashboard(() => handler({ request, params, caller: undefined }));
      } else if (options.access === 'sign-in') {
        assertSameOriginJson(request);
        response = await handler({ request, params, caller: undefined });
      } else {
        const caller = await authenticate({
          headers: request.headers,
          host: requestHost(request),
          url: request.url,
        });
        if (options.access === 'write') {
          assertSameOriginJson(request);
          assertCsrfToken(request, caller);
        }
        response = await runAsCaller(caller, () => handler({ request, params, caller }));
      }
    } catch (error) {
      response = errorResponse(error, options.route);
    }
    stopTimer({ status: String(response.status) });
    return response;
  };
}
