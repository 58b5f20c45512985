import { parseTrafficSplitListQuery } from '@/lib/traffic-split/schema';
import type { TrafficSplitList } from '@/lib/types/traffic-split';
import { errorResponse, jsonResponse } from '@/server/responses';
import { listTrafficSplits, trafficSplitContext } from '@/server/traffic-split';

/**
 * `GET /api/traffic-split?namespace=&service=&all=` -> `{items, warnings}`: VirtualServices with a
 * weighted route (`all=true`: every one; `service`: those routing that Service of `namespace`).
 */
export async function GET(request: Request) {
  try {
    const query = parseTrafficSplitListQuery(new URL(request.url).searchParams);
    return jsonResponse<TrafficSplitList>(
      await listTrafficSplits(trafficSplitContext(), {
        ...(query.namespace !== undefined ? { namespace: query.namespace } : {}),
        ...(query.service !== undefined ? { service: query.service } : {}),
        all: query.all,
      }),
    );
  } catch (error) {
    return errorResponse(error, '/api/traffic-split');
  }
}
