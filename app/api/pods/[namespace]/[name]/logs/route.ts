import type { PodLogsResponse } from '@/lib/types/workloads';
import { parseLogsQuery } from '@/lib/workloads/params';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { getPodLogs } from '@/server/pods';
import { jsonResponse } from '@/server/responses';

/**
 * `GET /api/pods/NAMESPACE/NAME/logs?container=istio-proxy&tail=200&sinceSeconds=60&code=5xx&flag=UO`
 * -> PodLogsResponse (docs/api.md): the container's last lines, Envoy access-log lines parsed with
 * their response flags in words, filtered by response class and flag.
 */
export const GET = apiRoute<{ namespace: string; name: string }>(
  { route: '/api/pods/[namespace]/[name]/logs', access: 'read' },
  async ({ request, params }) => {
    const parsed = parseLogsQuery(params, new URL(request.url).searchParams);
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid logs query: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    return jsonResponse<PodLogsResponse>(await getPodLogs(parsed.query));
  },
);
