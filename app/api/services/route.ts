import { parseMeshListQuery } from '@/lib/services/params';
import type { ServicesResponse } from '@/lib/types/services';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';
import { listServices } from '@/server/services';

/**
 * `GET /api/services?namespaces=a,b&duration=60s` -> ServicesResponse (docs/api.md): every Service
 * of the namespaces (all when unset) with health, inbound rate, error rate, p95, sidecar coverage,
 * the Istio config that applies and its finding counts. 400 `invalid` names each bad parameter.
 */
export const GET = apiRoute({ route: '/api/services', access: 'read' }, async ({ request }) => {
  const parsed = parseMeshListQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid services query: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<ServicesResponse>(await listServices(parsed.query));
});
