import 'server-only';
import {
  type ConfigurationOptions,
  type CoreV1Api,
  Observable,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
  type V1Pod,
} from '@kubernetes/client-node';
import { timedSidecarScrape } from './metrics';

/**
 * What the telemetry layer needs of a cluster connection: the API server's URL (for messages)
 * and a CoreV1Api. `Cluster` from server/kube/cluster.ts is one.
 */
export interface TelemetryCluster {
  readonly server: string;
  readonly core: CoreV1Api;
}

/**
 * Per-call options for client-node's generated API: a deadline and, for proxied requests, query
 * parameters. The generated proxy methods percent-encode everything in `path` (`?` included,
 * kubernetes-client/javascript#550), so parameters for the proxied server go in through a
 * middleware that sets them on the request URL.
 */
export function callOptions(options: {
  timeoutMs: number;
  query?: Record<string, string>;
}): ConfigurationOptions<ObservableMiddleware> {
  const middleware: ObservableMiddleware = {
    pre: (context: RequestContext) => {
      context.setSignal(AbortSignal.timeout(options.timeoutMs));
      for (const [name, value] of Object.entries(options.query ?? {})) context.setQueryParam(name, value);
      return new Observable(Promise.resolve(context));
    },
    post: (context: ResponseContext) => new Observable(Promise.resolve(context)),
  };
  // Appended, so whatever the connection's own configuration does (auth, its timeout) still runs first.
  return { middleware: [middleware], middlewareMergeStrategy: 'append' };
}

/** Objects per list page. */
const pageSize = 500;

/** A running pod with an Istio proxy (a sidecar, or a gateway whose only container is the proxy). */
export interface ProxyPod {
  namespace: string;
  name: string;
}

function hasIstioProxy(pod: V1Pod): boolean {
  const spec = pod.spec;
  if (!spec) return false;
  // Istio's native-sidecar mode injects the proxy as an init container that keeps running.
  return (
    spec.containers.some((container) => container.name === 'istio-proxy') ||
    (spec.initContainers ?? []).some(
      (container) => container.name === 'istio-proxy' && container.restartPolicy === 'Always',
    )
  );
}

/** The namespace's running pods with an Istio proxy, sorted by name. */
export async function listProxyPods(
  cluster: TelemetryCluster,
  namespace: string,
  timeoutMs: number,
): Promise<ProxyPod[]> {
  const pods: ProxyPod[] = [];
  let continueToken: string | undefined;
  do {
    const page = await cluster.core.listNamespacedPod(
      { namespace, limit: pageSize, _continue: continueToken },
      callOptions({ timeoutMs }),
    );
    for (const pod of page.items) {
      const name = pod.metadata?.name;
      if (!name || pod.metadata?.deletionTimestamp || pod.status?.phase !== 'Running') continue;
      if (hasIstioProxy(pod)) pods.push({ namespace, name });
    }
    continueToken = page.metadata?._continue || undefined;
  } while (continueToken !== undefined);
  return pods.sort((a, b) => a.name.localeCompare(b.name));
}

/** Istio's merged stats port: the proxy's `istio_*` series (and the app's, if it has any). */
export const mergedStatsPort = 15020;

/** One proxy's `:15020/stats/prometheus` through the API server's pod proxy. */
export async function scrapeProxy(
  cluster: TelemetryCluster,
  pod: ProxyPod,
  timeoutMs: number,
): Promise<string> {
  return timedSidecarScrape(() =>
    cluster.core.connectGetNamespacedPodProxyWithPath(
      { name: `${pod.name}:${mergedStatsPort}`, namespace: pod.namespace, path: 'stats/prometheus' },
      callOptions({ timeoutMs }),
    ),
  );
}
