import 'server-only';
import { histogram } from './metrics';
import { assertSameOriginJson } from './request-guard';
import { errorResponse } from './responses';

/**
 * What a route may do: `public` answers anyone (health probes), `read` needs a signed-in caller,
 * `write` needs a signed-in caller and a same-origin JSON request (CSRF checks included).
 */
export type RouteAccess = 'public' | 'read' | 'write';

export interface RouteOptions {
  /** The route's path pattern as Next names it (`/api/graph`, `/api/config/[kind]/[namespace]/[name]`). */
  readonly route: string;
  readonly access: RouteAccess;
}

/** What a handler gets: the request and the route's resolved dynamic segments. */
export interface RouteInput<Params> {
  readonly request: Request;
  readonly params: Params;
}

type NextRouteContext<Params> = { params: Promise<Params> };

const routeDuration = histogram<'route' | 'method' | 'status'>({
  name: 'meshscope_http_request_duration_seconds',
  help: 'Time to answer an API request, by route pattern, method and status.',
  labelNames: ['route', 'method', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/**
 * Every API route is one of these: the access check runs inside the route itself (not only in a
 * middleware), a thrown error becomes the safe `{code, message}` answer, and the request is
 * counted and timed per route pattern in `/metrics`.
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
      if (options.access === 'write') assertSameOriginJson(request);
      const params = context?.params ? await context.params : ({} as Params);
      response = await handler({ request, params });
    } catch (error) {
      response = errorResponse(error, options.route);
    }
    stopTimer({ status: String(response.status) });
    return response;
  };
}
