import 'server-only';
import type { ExternalLinks } from '@/lib/types/services';
import { getConfig } from './config';

/**
 * Links from a service page to Grafana's Istio service dashboard and to the tracing UI, when the
 * dashboard is told where they are (`MESHSCOPE_GRAFANA_URL`, `MESHSCOPE_TRACING_URL` in
 * server/config.ts), with the page's window carried over.
 */
export function externalLinks(target: {
  namespace: string;
  service: string;
  duration: number;
}): ExternalLinks {
  const { grafanaUrl, tracingUrl } = getConfig();
  const links: ExternalLinks = {};
  if (grafanaUrl) {
    const url = new URL(`${grafanaUrl}/d/LJ_uJAvmk/istio-service-dashboard`);
    url.searchParams.set('var-service', `${target.service}.${target.namespace}.svc.cluster.local`);
    url.searchParams.set('from', `now-${target.duration}s`);
    url.searchParams.set('to', 'now');
    links.grafana = url.toString();
  }
  if (tracingUrl) {
    const url = new URL(`${tracingUrl}/search`);
    url.searchParams.set('service', `${target.service}.${target.namespace}`);
    url.searchParams.set('lookback', `${target.duration}s`);
    links.tracing = url.toString();
  }
  return links;
}
