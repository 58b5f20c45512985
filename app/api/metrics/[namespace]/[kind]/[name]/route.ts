import type { TrafficSeriesResponse } from '@/lib/types/workloads';
import { parseSeriesQuery } from '@/lib/workloads/params';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';
import { getTrafficSeries } from '@/server/telemetry/series';

/**
 * `GET /api/metrics/NAMESPACE/workloads|services/NAME?direction=inbound|outbound&duration=10m&step=30s`
 * -> TrafficSeriesResponse (docs/api.md): rate by response code, error rate, p50/p95/p99 and
 * throughput over time. No data is an answer with `empty.reason`, never an error.
 */
export const GET = apiRoute<{ namespace: string; kind: string; name: string }>(
  { route: '/api/metrics/[namespace]/[kind]/[name]', access: 'read' },
  async ({ request, params }) => {
    const parsed = parseSeriesQuery(params, new URL(request.url).searchParams);
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid metrics query: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    return jsonResponse<TrafficSeriesResponse>(await getTrafficSeries(parsed.query));
  },
);
