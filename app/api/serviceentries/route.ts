import { parseMeshListQuery } from '@/lib/services/params';
import type { ServiceEntriesResponse } from '@/lib/types/gateways';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { listServiceEntries } from '@/server/gateways';
import { jsonResponse } from '@/server/responses';

/**
 * `GET /api/serviceentries?namespaces=a,b&duration=60s` -> ServiceEntriesResponse (docs/api.md):
 * external hosts with location, resolution, ports and the requests reaching them, plus traffic
 * that left the mesh unregistered (`PassthroughCluster`) or was refused (`BlackHoleCluster`).
 */
export const GET = apiRoute({ route: '/api/serviceentries', access: 'read' }, async ({ request }) => {
  const parsed = parseMeshListQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid service entries query: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<ServiceEntriesResponse>(await listServiceEntries(parsed.query));
});
