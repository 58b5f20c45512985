import { parseResilienceQuery } from '@/lib/resilience/params';
import type { ResilienceResponse } from '@/lib/types/resilience';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { getResilience } from '@/server/resilience';
import { jsonResponse } from '@/server/responses';

/**
 * `GET /api/resilience/NAMESPACE/SERVICE?duration=10m` -> ResilienceResponse (docs/api.md): the
 * DestinationRule policies that apply, each caller's view of the service's pods (ejected or not,
 * since when, back when), ejection history, overflow counters and UO/UH responses, and whether
 * the callers' proxies emit the stats. Asking keeps the service's callers polled for a while.
 * 404 `not-found` for an unknown Service; 400 `invalid` names each bad parameter.
 */
export const GET = apiRoute<{ namespace: string; service: string }>(
  { route: '/api/resilience/[namespace]/[service]', access: 'read' },
  async ({ request, params }) => {
    const parsed = parseResilienceQuery(params, new URL(request.url).searchParams);
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid resilience query: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    return jsonResponse<ResilienceResponse>(await getResilience(parsed.query));
  },
);
