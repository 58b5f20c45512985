import { parseTrafficSplitPath } from '@/lib/traffic-split/schema';
import type { TrafficSplitHistory } from '@/lib/types/traffic-split';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';
import { getTrafficSplitHistory, trafficSplitContext } from '@/server/traffic-split';

/**
 * `GET /api/traffic-split/NAMESPACE/NAME/history` -> `{entries}`: the audit records of the writes
 * this dashboard made or tried on the VirtualService since it started, newest first.
 */
export const GET = apiRoute<{ namespace: string; name: string }>(
  { route: '/api/traffic-split/[namespace]/[name]/history', access: 'read' },
  async ({ params }) => {
    const parsed = parseTrafficSplitPath(params);
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid VirtualService: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    return jsonResponse<TrafficSplitHistory>(
      await getTrafficSplitHistory(trafficSplitContext(), parsed.value.namespace, parsed.value.name),
    );
  },
);
