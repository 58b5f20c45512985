import { parseServiceQuery } from '@/lib/services/params';
import type { ServiceDetail } from '@/lib/types/services';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';
import { getService } from '@/server/services';

/**
 * `GET /api/services/NAMESPACE/NAME?duration=60s` -> ServiceDetail (docs/api.md): ports,
 * endpoints, the config that applies with its findings, traffic splits routing to the service and
 * its neighbourhood graph. 404 `not-found` for an unknown Service.
 */
export const GET = apiRoute<{ namespace: string; name: string }>(
  { route: '/api/services/[namespace]/[name]', access: 'read' },
  async ({ request, params }) => {
    const parsed = parseServiceQuery(params, new URL(request.url).searchParams);
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid service query: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    return jsonResponse<ServiceDetail>(await getService(parsed.query));
  },
);
