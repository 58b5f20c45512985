import { z } from 'zod';
import { apiRoute } from '@/server/api-route';
import { type ConnectionStatus, getConnectionStatus } from '@/server/connection-status';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';
import { getTelemetrySource } from '@/server/telemetry/source';

const querySchema = z.object({
  /** how long to wait for caches that are still loading, in milliseconds */
  waitMs: z.coerce.number().int().min(0).max(10_000).optional(),
});

/**
 * `GET /api/status[?waitMs=N]` -> the "connected to" indicator: cluster server, context and user
 * (never credentials), each cache's health, the telemetry source. Always 200 with the state, a
 * cluster that is down included; readiness for probes is `/api/readyz`.
 */
export const GET = apiRoute({ route: '/api/status', access: 'read' }, async ({ request }) => {
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    throw new AppError('invalid', 'waitMs must be a whole number of milliseconds from 0 to 10000');
  }
  const status = await getConnectionStatus({
    waitMs: query.data.waitMs,
    describeTelemetry: async () => (await getTelemetrySource()).describe(),
  });
  return jsonResponse<ConnectionStatus>(status);
});
