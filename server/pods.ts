import 'server-only';
import { type AccessLogFilter, matchesFilter, parseAccessLog } from '@/lib/envoy/access-log';
import { parseConfigDump } from '@/lib/envoy/config-dump';
import type { PodLogsResponse, ProxyConfigResponse, ProxyConfigSection } from '@/lib/types/workloads';
import { type EnvoyAdmin, getEnvoyAdmin } from './envoy/admin-client';
import { AppError, fromKubeError } from './errors';
import { getCluster } from './kube/cluster';
import type { TelemetryCluster } from './telemetry/kube-calls';
import { callOptions } from './telemetry/kube-calls';

/**
 * A pod's Envoy configuration (`/config_dump` through a port-forward to the admin port, as
 * `istioctl proxy-config` reads it) and its container logs (`pods/log`), parsed for the tables.
 */

export interface ProxyConfigQuery {
  namespace: string;
  pod: string;
  section: ProxyConfigSection;
  /** include the dump as Envoy gave it */
  raw: boolean;
}

export async function getProxyConfig(
  query: ProxyConfigQuery,
  admin: EnvoyAdmin = getEnvoyAdmin(),
): Promise<ProxyConfigResponse> {
  // EDS endpoints are left out: they make a big mesh's dump many times larger and no table shows them.
  const answer = await admin.get({ namespace: query.namespace, pod: query.pod, path: '/config_dump' });
  let dump: unknown;
  try {
    dump = JSON.parse(answer.body);
  } catch (error) {
    throw new AppError(
      'unavailable:envoy',
      `Envoy admin of ${query.namespace}/${query.pod} answered /config_dump with no JSON`,
      { cause: error },
    );
  }
  const parsed = parseConfigDump(dump);
  const wants = (section: ProxyConfigSection) => query.section === 'all' || query.section === section;
  return {
    namespace: query.namespace,
    pod: query.pod,
    section: query.section,
    ...(wants('clusters') ? { clusters: parsed.clusters } : {}),
    ...(wants('listeners') ? { listeners: parsed.listeners } : {}),
    ...(wants('routes') ? { routes: parsed.routes } : {}),
    ...(parsed.node ? { node: parsed.node } : {}),
    ...(query.raw ? { raw: dump } : {}),
    fetchedAt: new Date().toISOString(),
    durationMs: Math.round(answer.durationMs),
  };
}

export interface PodLogsQuery {
  namespace: string;
  pod: string;
  container: string;
  tail: number;
  sinceSeconds: number | undefined;
  classes: NonNullable<AccessLogFilter['classes']>[number][];
  flag: string | undefined;
}

/** Deadline of one log read, in milliseconds. */
const logTimeoutMs = 10_000;

/**
 * `GET /api/pods/NS/NAME/logs`: the last `tail` lines of a container (`pods/log`, `tailLines`,
 * `sinceSeconds`), each parsed as an Envoy access-log entry when it is one, then filtered by
 * response class and flag. `sinceSeconds` is also applied to the entries' own times, for API
 * servers that ignore it.
 */
export async function getPodLogs(
  query: PodLogsQuery,
  cluster: TelemetryCluster = getCluster(),
  nowMs = Date.now(),
): Promise<PodLogsResponse> {
  let text: string;
  try {
    text = await cluster.core.readNamespacedPodLog(
      {
        name: query.pod,
        namespace: query.namespace,
        container: query.container,
        tailLines: query.tail,
        ...(query.sinceSeconds !== undefined ? { sinceSeconds: query.sinceSeconds } : {}),
      },
      callOptions({ timeoutMs: logTimeoutMs }),
    );
  } catch (error) {
    throw fromKubeError(error, cluster.server);
  }
  const lines = parseAccessLog(typeof text === 'string' ? text : String(text ?? ''));
  const filter: AccessLogFilter = {
    classes: query.classes,
    ...(query.flag !== undefined ? { flag: query.flag } : {}),
    ...(query.sinceSeconds !== undefined ? { sinceMs: nowMs - query.sinceSeconds * 1000 } : {}),
  };
  // Lines that are not access-log entries (the proxy's own logs) go when a response filter is on.
  const byResponse = query.classes.length > 0 || query.flag !== undefined;
  const kept = lines.filter((line) =>
    line.kind === 'access' ? matchesFilter(line.entry, filter) : !byResponse,
  );
  return {
    namespace: query.namespace,
    pod: query.pod,
    container: query.container,
    lines: kept,
    read: lines.length,
    fetchedAt: new Date(nowMs).toISOString(),
  };
}
