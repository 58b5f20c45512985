import 'server-only';
import type { GraphTelemetryQuery, GraphTelemetrySnapshot } from '@/lib/telemetry/response-times';
import type { TelemetrySourceDescription } from '@/lib/types/status';
import type { DurationSample, EdgeKey, TelemetryQuery, TelemetrySourceName } from '@/lib/types/telemetry';
import { currentCaller, KUBECONFIG_IDENTITY } from '../auth/caller';
import { IdentityPool } from '../auth/identity-pool';
import { restrictToCallerNamespaces } from '../auth/namespace-access';
import { getConfig } from '../config';
import { getCluster } from '../kube/cluster';
import { logger } from '../logger';
import { type DirectTelemetryOptions, DirectTelemetrySource } from './direct-source';
import type { TelemetryCluster } from './kube-calls';
import { timedPrometheusClient } from './metrics';
import {
  httpPrometheusClient,
  inClusterPrometheus,
  kubeProxyPrometheusClient,
  type PrometheusClient,
} from './prometheus-client';
import { type PrometheusTelemetryOptions, PrometheusTelemetrySource } from './prometheus-source';

export type { TelemetrySourceDescription } from '@/lib/types/status';

/**
 * Where traffic telemetry comes from, chosen once at start-up: Prometheus, or direct scrapes of
 * the sidecars. `snapshot` throws AppError `unavailable:*` when the source cannot answer at all
 * (the caller turns it into a warning); partial trouble comes back in `warnings`.
 */
export interface TelemetrySource {
  readonly name: TelemetrySourceName;
  describe(): TelemetrySourceDescription;
  /** Percentiles per edge when asked for and the source computes them; histograms otherwise. */
  snapshot(query: GraphTelemetryQuery): Promise<GraphTelemetrySnapshot>;
  /**
   * The duration histograms of these telemetry edges only, for graph edges that merge several
   * edges' percentiles (exact only from their summed buckets), at the snapshot's instant
   * (`timeMs`, milliseconds since the epoch). Sources that answer `snapshot` with histograms
   * never need it.
   */
  partDurations?(query: TelemetryQuery, parts: readonly EdgeKey[], timeMs: number): Promise<DurationSample[]>;
  /** Stop background work (direct scraping) and let go of buffers. */
  close(): void;
}

export interface TelemetrySourceConfig {
  /** the cluster to discover Prometheus in and to scrape sidecars through */
  cluster: TelemetryCluster;
  /** Prometheus base URL (MESHSCOPE_PROMETHEUS_URL); unset = discover, else direct */
  prometheusUrl?: string | undefined;
  prometheus?: PrometheusTelemetryOptions;
  direct?: DirectTelemetryOptions;
  /** how long discovery waits for the in-cluster Prometheus, in milliseconds (default 5 s) */
  discoveryTimeoutMs?: number;
}

const discoveryTimeoutMs = 5_000;

/**
 * Whether `istio-system/prometheus:9090` answers a query through the API server's service proxy.
 * No answer, a 404 (no such Service), a 403 (no `services/proxy` right) or an error all mean no.
 */
async function discoverInClusterPrometheus(
  cluster: TelemetryCluster,
  timeoutMs: number,
): Promise<PrometheusClient | undefined> {
  const client = kubeProxyPrometheusClient(cluster, inClusterPrometheus, { timeoutMs });
  try {
    await client.query('vector(1)', Date.now() / 1000);
    return timedPrometheusClient(kubeProxyPrometheusClient(cluster, inClusterPrometheus), 'kube-proxy');
  } catch (error) {
    logger.info(
      { err: error, target: client.target },
      'no Prometheus found through the Kubernetes API; telemetry scrapes sidecars directly',
    );
    return undefined;
  }
}

/**
 * The telemetry source for this configuration: Prometheus at the configured URL; else the
 * in-cluster Prometheus through the API server if it answers; else direct sidecar scrapes.
 */
export async function createTelemetrySource(config: TelemetrySourceConfig): Promise<TelemetrySource> {
  if (config.prometheusUrl !== undefined) {
    const client = timedPrometheusClient(
      httpPrometheusClient(config.prometheusUrl, { timeoutMs: config.prometheus?.timeoutMs }),
      'url',
    );
    logger.info({ target: client.target }, 'telemetry from the configured Prometheus');
    return new PrometheusTelemetrySource(client, config.prometheus);
  }
  const discovered = await discoverInClusterPrometheus(
    config.cluster,
    config.discoveryTimeoutMs ?? discoveryTimeoutMs,
  );
  if (discovered) {
    logger.info({ target: discovered.target }, 'telemetry from the in-cluster Prometheus');
    return new PrometheusTelemetrySource(discovered, config.prometheus);
  }
  return new DirectTelemetrySource(config.cluster, config.direct);
}

let chosen: Promise<TelemetrySource> | undefined;

/** Per-caller sources in token and header modes: each queries with the caller's credentials. */
const callerSources = new IdentityPool<Promise<TelemetrySource>>({
  dispose: async (source) => (await source.catch(() => undefined))?.close(),
  idleMs: 10 * 60_000,
  max: 16,
});

/**
 * The telemetry source of the request's identity, chosen on first use from the configuration and
 * then kept: the process's for the kubeconfig identity, the caller's own in token and header modes.
 */
export function getTelemetrySource(): Promise<TelemetrySource> {
  const caller = currentCaller();
  if (caller !== undefined && caller !== 'dashboard' && caller.identityKey !== KUBECONFIG_IDENTITY) {
    const key = caller.identityKey;
    return callerSources.get(key, () =>
      createTelemetrySource({ cluster: getCluster(), prometheusUrl: getConfig().prometheusUrl })
        // Telemetry is not authorized by the API server: keep it to the caller's namespaces.
        .then(restrictToCallerNamespaces)
        .catch((error: unknown) => {
          callerSources.forget(key);
          throw error;
        }),
    );
  }
  chosen ??= createTelemetrySource({ cluster: getCluster(), prometheusUrl: getConfig().prometheusUrl }).catch(
    (error: unknown) => {
      // Let the next call try again rather than caching a failure forever.
      chosen = undefined;
      throw error;
    },
  );
  return chosen;
}
