import type { WorkloadDetailResponse } from '@/lib/types/workloads';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';
import { getWorkload } from '@/server/workloads';

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * `GET /api/workloads/NAMESPACE/NAME` -> WorkloadDetailResponse (docs/api.md): pods with phase,
 * restarts, sidecar and injection status (and why it is missing), the config that applies.
 */
export const GET = apiRoute<{ namespace: string; name: string }>(
  { route: '/api/workloads/[namespace]/[name]', access: 'read' },
  async ({ params }) => {
    if (!NAME.test(params.namespace) || !NAME.test(params.name))
      throw new AppError('invalid', `Not a workload name: ${params.namespace}/${params.name}`);
    return jsonResponse<WorkloadDetailResponse>(await getWorkload(params.namespace, params.name));
  },
);
