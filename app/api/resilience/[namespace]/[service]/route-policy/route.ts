import { parseRoutePolicyChange } from '@/lib/resilience/edit-schema';
import type { ResilienceWriteResult } from '@/lib/resilience/edit-types';
import { parseResilienceQuery } from '@/lib/resilience/params';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonBody } from '@/server/request-guard';
import { putRoutePolicy } from '@/server/resilience-edit';
import { jsonResponse } from '@/server/responses';
import { trafficSplitContext } from '@/server/traffic-split';

/**
 * `PUT /api/resilience/NAMESPACE/SERVICE/route-policy` with `{virtualService, resourceVersion,
 * routes: [{index, fault?, timeout?, retries?}], dryRun?}` -> ResilienceWriteResult. A section left
 * out is untouched, null removes it. 400 `invalid` with `details.problems`, 409
 * `conflict:resource-version` with `details.current`, 403 `forbidden:read-only` / `forbidden:kube`.
 */
export const PUT = apiRoute<{ namespace: string; service: string }>(
  { route: '/api/resilience/[namespace]/[service]/route-policy', access: 'write' },
  async ({ request, params }) => {
    const path = parseResilienceQuery(params, new URLSearchParams());
    if (!path.ok) throw new AppError('invalid', `Invalid service: ${path.problems.join('; ')}`);
    const parsed = parseRoutePolicyChange(await jsonBody(request));
    if (!parsed.ok)
      throw new AppError('invalid', `Invalid change: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    const { namespace, service } = path.query;
    return jsonResponse<ResilienceWriteResult>(
      await putRoutePolicy(trafficSplitContext(), { namespace, name: service }, parsed.value),
    );
  },
);
