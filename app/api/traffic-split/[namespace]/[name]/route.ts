import { parseTrafficSplitChange, parseTrafficSplitPath } from '@/lib/traffic-split/schema';
import type { TrafficSplit, TrafficSplitResult } from '@/lib/types/traffic-split';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonBody } from '@/server/request-guard';
import { jsonResponse } from '@/server/responses';
import { getTrafficSplit, putTrafficSplit, trafficSplitContext } from '@/server/traffic-split';

type Params = { namespace: string; name: string };
const ROUTE = '/api/traffic-split/[namespace]/[name]';

function target(params: Params): Params {
  const parsed = parseTrafficSplitPath(params);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid VirtualService: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return parsed.value;
}

/**
 * `GET /api/traffic-split/NAMESPACE/NAME` -> TrafficSplit (docs/api.md): the VirtualService's
 * weighted routes, its resourceVersion, whether the caller may change them and why not.
 */
export const GET = apiRoute<Params>({ route: ROUTE, access: 'read' }, async ({ params }) => {
  const { namespace, name } = target(params);
  return jsonResponse<TrafficSplit>(await getTrafficSplit(trafficSplitContext(), namespace, name));
});

/**
 * `PUT /api/traffic-split/NAMESPACE/NAME` with `{resourceVersion, routes, subsets?, headerRoutes?,
 * dryRun?}` -> TrafficSplitResult: a dry run's diff and findings, or the applied change and the
 * new resourceVersion. 400 `invalid:weights` with `details.problems`, 409 `conflict:resource-version`
 * with `details.current`, 409 `conflict:owner`, 403 `forbidden:read-only` / `forbidden:kube`.
 */
export const PUT = apiRoute<Params>({ route: ROUTE, access: 'write' }, async ({ request, params }) => {
  const { namespace, name } = target(params);
  const parsed = parseTrafficSplitChange(await jsonBody(request));
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid change: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<TrafficSplitResult>(
    await putTrafficSplit(trafficSplitContext(), namespace, name, parsed.value),
  );
});
