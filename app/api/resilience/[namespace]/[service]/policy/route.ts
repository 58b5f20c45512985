import type { ResiliencePolicyResponse } from '@/lib/resilience/edit-types';
import { parseResilienceQuery } from '@/lib/resilience/params';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { getResiliencePolicy } from '@/server/resilience-edit';
import { jsonResponse } from '@/server/responses';
import { trafficSplitContext } from '@/server/traffic-split';

/**
 * `GET /api/resilience/NAMESPACE/SERVICE/policy` -> ResiliencePolicyResponse (docs/api.md): the
 * VirtualService routes to the service (fault, timeout, retries) and its DestinationRules'
 * circuit breakers, live, with resourceVersions and whether the caller may patch them.
 */
export const GET = apiRoute<{ namespace: string; service: string }>(
  { route: '/api/resilience/[namespace]/[service]/policy', access: 'read' },
  async ({ request, params }) => {
    const parsed = parseResilienceQuery(params, new URL(request.url).searchParams);
    if (!parsed.ok) throw new AppError('invalid', `Invalid service: ${parsed.problems.join('; ')}`);
    const { namespace, service } = parsed.query;
    return jsonResponse<ResiliencePolicyResponse>(
      await getResiliencePolicy(trafficSplitContext(), namespace, service),
    );
  },
);
