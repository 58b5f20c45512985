import { parseTrafficSplitListQuery } from '@/lib/traffic-split/schema';
import type { TrafficSplitList } from '@/lib/types/traffic-split';
import { apiRoute } from '@/server/api-route';
import { jsonResponse } from '@/server/responses';
import { listTrafficSplits, trafficSplitContext } from '@/server/traffic-split';

/**
 * `GET /api/traffic-split?namespace=&service=&all=` -> `{items, warnings}`: VirtualServices with a
 * weighted route (`all=true`: every one; `service`: those routing that Service of `namespace`).
 */
export const GET = apiRoute({ route: '/api/traffic-split', access: 'read' }, async ({ request }) => {
  const query = parseTrafficSplitListQuery(new URL(request.url).searchParams);
  return jsonResponse<TrafficSplitList>(
    await listTrafficSplits(trafficSplitContext(), {
      ...(query.namespace !== undefined ? { namespace: query.namespace } : {}),
      ...(query.service !== undefined ? { service: query.service } : {}),
      all: query.all,
    }),
  );
});
