import { parseConfigListQuery } from '@/lib/istio-config/params';
import type { ConfigListResponse } from '@/lib/types/config';
import { apiRoute } from '@/server/api-route';
import { listConfig } from '@/server/config-objects';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';

/**
 * `GET /api/config?namespace=a,b&kind=VirtualService` -> ConfigListResponse (docs/api.md): the
 * Istio objects with their finding counts per severity, and which kinds the cluster serves.
 */
export const GET = apiRoute({ route: '/api/config', access: 'read' }, async ({ request }) => {
  const parsed = parseConfigListQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid config query: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<ConfigListResponse>(await listConfig(parsed.query));
});
