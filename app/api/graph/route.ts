import { parseGraphQuery } from '@/lib/graph-params';
import type { GraphResponse } from '@/lib/types/graph';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { getGraph } from '@/server/graph';
import { jsonResponse } from '@/server/responses';

/**
 * `GET /api/graph?namespaces=a,b&graphType=workload|app|versionedApp|service&duration=60s&idle=false`
 * -> GraphResponse (docs/api.md). A telemetry outage is a warning in the answer, never a 5xx: the
 * graph is then drawn from configuration alone. 400 `invalid` names each bad parameter.
 */
export const GET = apiRoute({ route: '/api/graph', access: 'read' }, async ({ request }) => {
  const parsed = parseGraphQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid graph query: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<GraphResponse>(await getGraph(parsed.query));
});
