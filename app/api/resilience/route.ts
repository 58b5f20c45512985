import type { ResilienceListResponse } from '@/lib/resilience/list-types';
import { parseResiliencePageState, windowSeconds } from '@/lib/resilience/page-params';
import { apiRoute } from '@/server/api-route';
import { listResilience } from '@/server/resilience-list';
import { jsonResponse } from '@/server/responses';

/**
 * `GET /api/resilience?namespaces=a,b&duration=10m` -> ResilienceListResponse (docs/api.md):
 * the services of the namespaces with their circuit breakers and how many pods are ejected now.
 */
export const GET = apiRoute({ route: '/api/resilience', access: 'read' }, async ({ request }) => {
  const state = parseResiliencePageState(new URL(request.url).searchParams);
  return jsonResponse<ResilienceListResponse>(
    await listResilience(state.namespaces, windowSeconds(state.duration)),
  );
});
