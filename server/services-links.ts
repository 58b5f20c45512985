import 'server-only';
import type { ExternalLinks } from '@/lib/types/services';

/**
 * Links from a service page to Grafana's Istio service dashboard and to the tracing UI, when the
 * dashboard is told where they are (`MESHSCOPE_GRAFANA_URL`, `MESHSCOPE_TRACING_URL`), with the
 * page's window carried over. Read from the environment until server/config.ts carries them.
 */
export function externalLinks(target: {
  namespace: string;
  service: string;
  duration: number;
}): ExternalLinks {
  const links: ExternalLinks = {};
  const fqdn = `${target.service}.${target.namespace}.svc.cluster.local`;
  const grafana = process.env.MESHSCOPE_GRAFANA_URL?.trim();
  if (grafana) {
    const url = new URL(
      'd/LJ_uJAvmk/istio-service-dashboard',
      grafana.endsWith('/') ? grafana : `${grafana}/`,
    );
    url.searchParams.set('var-service', fqdn);
    url.searchParams.set('from', `now-${target.duration}s`);
    url.searchParams.set('to', 'now');
    links.grafana = url.toString();
  }
  const tracing = process.env.MESHSCOPE_TRACING_URL?.trim();
  if (tracing) {
    const url = new URL('search', tracing.endsWith('/') ? tracing : `${tracing}/`);
    url.searchParams.set('service', `${target.service}.${target.namespace}`);
    url.searchParams.set('lookback', `${target.duration}s`);
    links.tracing = url.toString();
  }
  return links;
}
