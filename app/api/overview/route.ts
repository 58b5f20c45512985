import type { OverviewResponse } from '@/lib/types/overview';
import { apiRoute } from '@/server/api-route';
import { getOverview } from '@/server/overview';
import { jsonResponse } from '@/server/responses';

/** `GET /api/overview` -> per-namespace health, request rate and counts (docs/api.md). */
export const GET = apiRoute({ route: '/api/overview', access: 'read' }, async () =>
  jsonResponse<OverviewResponse>(await getOverview()),
);
