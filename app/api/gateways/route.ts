import { parseMeshListQuery } from '@/lib/services/params';
import type { GatewaysResponse } from '@/lib/types/gateways';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { listGateways } from '@/server/gateways';
import { jsonResponse } from '@/server/responses';

/**
 * `GET /api/gateways?namespaces=a,b&duration=60s` -> GatewaysResponse (docs/api.md): each Gateway
 * with its servers, the workload it selects, the VirtualServices bound to it and the traffic its
 * workload sends into the mesh. 400 `invalid` names each bad parameter.
 */
export const GET = apiRoute({ route: '/api/gateways', access: 'read' }, async ({ request }) => {
  const parsed = parseMeshListQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid gateways query: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<GatewaysResponse>(await listGateways(parsed.query));
});
