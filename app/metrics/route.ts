import { apiRoute } from '@/server/api-route';
import { getMetricsRegistry } from '@/server/metrics';
import { NO_STORE } from '@/server/responses';

/**
 * The dashboard's own metrics in Prometheus text format (one registry for the whole process).
 * Not public: route names, cache sizes and error counts describe the cluster, so a scraper signs in
 * like any script (local mode: `Authorization: Bearer LAUNCH_SECRET`; token mode: a Kubernetes
 * bearer token such as the scraping Prometheus's service account token). See docs/api.md.
 */
export const GET = apiRoute({ route: '/metrics', access: 'read' }, async () => {
  const registry = getMetricsRegistry();
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, ...NO_STORE },
  });
});

export const dynamic = 'force-dynamic';
