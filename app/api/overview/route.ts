import type { OverviewResponse } from '@/lib/types/overview';
import { getOverview } from '@/server/overview';
import { errorResponse, jsonResponse } from '@/server/responses';

/** `GET /api/overview` -> per-namespace health, request rate and counts (docs/api.md). */
export async function GET() {
  try {
    return jsonResponse<OverviewResponse>(await getOverview());
  } catch (error) {
    return errorResponse(error, '/api/overview');
  }
}
