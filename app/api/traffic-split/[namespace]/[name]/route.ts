import { parseTrafficSplitChange, parseTrafficSplitPath } from '@/lib/traffic-split/schema';
import type { TrafficSplit, TrafficSplitResult } from '@/lib/types/traffic-split';
import { AppError } from '@/server/errors';
import { assertSameOriginJson, jsonBody } from '@/server/request-guard';
import { errorResponse, jsonResponse } from '@/server/responses';
import { getTrafficSplit, putTrafficSplit, trafficSplitContext } from '@/server/traffic-split';

type Params = { params: Promise<{ namespace: string; name: string }> };

async function target({ params }: Params): Promise<{ namespace: string; name: string }> {
  const parsed = parseTrafficSplitPath(await params);
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
export async function GET(_request: Request, context: Params) {
  try {
    const { namespace, name } = await target(context);
    return jsonResponse<TrafficSplit>(await getTrafficSplit(trafficSplitContext(), namespace, name));
  } catch (error) {
    return errorResponse(error, '/api/traffic-split/[namespace]/[name]');
  }
}

/**
 * `PUT /api/traffic-split/NAMESPACE/NAME` with `{resourceVersion, routes, subsets?, headerRoutes?,
 * dryRun?}` -> TrafficSplitResult: a dry run's diff and findings, or the applied change and the
 * new resourceVersion. 400 `invalid:weights` with `details.problems`, 409 `conflict:resource-version`
 * with `details.current`, 409 `conflict:owner`, 403 `forbidden:read-only` / `forbidden:kube`.
 */
export async function PUT(request: Request, context: Params) {
  try {
    assertSameOriginJson(request);
    const { namespace, name } = await target(context);
    const parsed = parseTrafficSplitChange(await jsonBody(request));
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid change: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    return jsonResponse<TrafficSplitResult>(
      await putTrafficSplit(trafficSplitContext(), namespace, name, parsed.value),
    );
  } catch (error) {
    return errorResponse(error, '/api/traffic-split/[namespace]/[name]');
  }
}
