import type { WorkloadListResponse } from '@/lib/types/workloads';
import { parseWorkloadListQuery } from '@/lib/workloads/params';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';
import { getWorkloads } from '@/server/workloads';

/**
 * `GET /api/workloads?namespaces=a,b&duration=60s` -> WorkloadListResponse (docs/api.md): every
 * workload with health, rates, p95, sidecar state, the Istio config that applies and its findings.
 */
export const GET = apiRoute({ route: '/api/workloads', access: 'read' }, async ({ request }) => {
  const parsed = parseWorkloadListQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid workloads query: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<WorkloadListResponse>(await getWorkloads(parsed.query));
});
