import { getMetricsRegistry } from '@/server/metrics';
import { NO_STORE } from '@/server/responses';

/** The dashboard's own metrics in Prometheus text format (one registry for the whole process). */
export async function GET() {
  const registry = getMetricsRegistry();
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, ...NO_STORE },
  });
}

export const dynamic = 'force-dynamic';
