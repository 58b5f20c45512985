import 'server-only';
import { histogram } from '../metrics';
import type { PrometheusClient } from './prometheus-client';

/**
 * Telemetry's own metrics in `/metrics`: how long the dashboard waits on Prometheus and on the
 * sidecars it scrapes directly. Durations in seconds; `result` is `ok` or `error`.
 */

const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const telemetryMetrics = {
  prometheusQuery: histogram<'transport' | 'result'>({
    name: 'meshscope_telemetry_query_duration_seconds',
    help: 'Time of one Prometheus instant query, by transport (url: MESHSCOPE_PROMETHEUS_URL; kube-proxy: through the API server) and result',
    labelNames: ['transport', 'result'],
    buckets,
  }),
  sidecarScrape: histogram<'result'>({
    name: 'meshscope_telemetry_sidecar_scrape_duration_seconds',
    help: "Time of one sidecar's :15020/stats/prometheus scrape through the API server's pod proxy (direct telemetry), by result",
    labelNames: ['result'],
    buckets,
  }),
};

export type PrometheusTransport = 'url' | 'kube-proxy';

/** The same client, each query timed into `meshscope_telemetry_query_duration_seconds`. */
export function timedPrometheusClient(
  client: PrometheusClient,
  transport: PrometheusTransport,
): PrometheusClient {
  return {
    target: client.target,
    async query(promql, timeSeconds) {
      const stop = telemetryMetrics.prometheusQuery.startTimer({ transport });
      try {
        const answer = await client.query(promql, timeSeconds);
        stop({ result: 'ok' });
        return answer;
      } catch (error) {
        stop({ result: 'error' });
        throw error;
      }
    },
  };
}

/** Runs one sidecar scrape, timed into `meshscope_telemetry_sidecar_scrape_duration_seconds`. */
export async function timedSidecarScrape<T>(scrape: () => Promise<T>): Promise<T> {
  const stop = telemetryMetrics.sidecarScrape.startTimer();
  try {
    const text = await scrape();
    stop({ result: 'ok' });
    return text;
  } catch (error) {
    stop({ result: 'error' });
    throw error;
  }
}
