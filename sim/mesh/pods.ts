/**
 * What listens inside each simulated pod: the application's ports and, where a sidecar was
 * injected, Envoy's ports with Istio's reachability — 15000 (admin, bound to localhost), 15020
 * (merged Prometheus stats), 15021 (health), 15090 (Envoy's Prometheus stats).
 */
import type { KubeObject } from '../cluster/types';
import { isPlainObject } from '../cluster/types';
import type {
  LogOptions,
  PodHttpRequest,
  PodHttpResponse,
  PodListener,
  PodNetwork,
} from '../server/pod-network';

export const envoyAdminPort = 15000;
export const mergedStatsPort = 15020;
export const healthPort = 15021;
export const envoyStatsPort = 15090;

/** Per-pod telemetry and Envoy state the mesh engine provides. */
export interface SidecarTelemetry {
  prometheusText(pod: KubeObject): string;
  /** the sidecar's access log lines, oldest first: the last `tailLines` when given */
  accessLog(pod: KubeObject, tailLines?: number): string[];
  /** Envoy admin `/clusters` as text, or JSON with `?format=json`; undefined for a pod the mesh does not know */
  clusters(pod: KubeObject, format: 'text' | 'json'): string | undefined;
  configDump(pod: KubeObject): string | undefined;
}

const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';

function containersOf(pod: KubeObject): Record<string, unknown>[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  return Array.isArray(spec.containers) ? spec.containers.filter(isPlainObject) : [];
}

export function hasSidecar(pod: KubeObject): boolean {
  return containersOf(pod).some((container) => container.name === 'istio-proxy');
}

function appPorts(pod: KubeObject): number[] {
  return containersOf(pod)
    .flatMap((container) => (Array.isArray(container.ports) ? container.ports.filter(isPlainObject) : []))
    .map((port) => port.containerPort)
    .filter(
      (port): port is number => typeof port === 'number' && ![envoyStatsPort, healthPort].includes(port),
    );
}

function text(status: number, body: string, contentType = 'text/plain; charset=utf-8'): PodHttpResponse {
  return { status, headers: { 'content-type': contentType }, body };
}

function json(status: number, body: unknown): PodHttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body, null, 2) };
}

function listener(localhostOnly: boolean, handle: (request: PodHttpRequest) => PodHttpResponse): PodListener {
  return { localhostOnly, handle: async (request) => handle(request) };
}

function pathOf(request: PodHttpRequest): string {
  return request.path.split('?')[0] ?? '/';
}

export class SimulatedPods implements PodNetwork {
  private readonly startedAt = Date.now();

  constructor(private readonly telemetry: SidecarTelemetry) {}

  listener(pod: KubeObject, port: number): PodListener | undefined {
    if (!isPlainObject(pod.status) || pod.status.phase !== 'Running') return undefined;
    if (hasSidecar(pod)) {
      switch (port) {
        case envoyAdminPort:
          return listener(true, (request) => this.envoyAdmin(pod, request));
        case mergedStatsPort:
        case envoyStatsPort:
          return listener(false, (request) =>
            pathOf(request) === '/stats/prometheus'
              ? text(200, this.envoyStats(pod), prometheusContentType)
              : text(404, 'not found\n'),
          );
        case healthPort:
          return listener(false, (request) =>
            pathOf(request) === '/healthz/ready' ? text(200, '') : text(404, 'not found\n'),
          );
      }
    }
    if (appPorts(pod).includes(port))
      return listener(false, (request) => this.application(pod, port, request));
    return undefined;
  }

  logs(pod: KubeObject, options: LogOptions): string | undefined {
    const container = containersOf(pod).find((candidate) => candidate.name === options.container);
    if (!container) return undefined;
    const started =
      isPlainObject(pod.status) && typeof pod.status.startTime === 'string'
        ? pod.status.startTime
        : new Date(this.startedAt).toISOString();
    const lines =
      container.name === 'istio-proxy'
        ? [
            `${started} info\tFIPS mode disabled`,
            `${started} info\tVersion 1.24.2`,
            `${started} info\tProxy role\tips=[${isPlainObject(pod.status) ? String(pod.status.podIP) : ''}] type=sidecar id=${pod.metadata.name}.${pod.metadata.namespace} domain=${pod.metadata.namespace}.svc.cluster.local`,
            `${started} info\tEnvoy proxy is ready`,
            // Only the tail is formatted when only the tail is asked for.
            ...this.telemetry.accessLog(
              pod,
              options.tailLines !== undefined && options.tailLines > 0 ? options.tailLines : undefined,
            ),
          ]
        : [`${started} INFO ${String(container.name)} listening on ${appPorts(pod).join(', ')}`];
    const tail = options.tailLines !== undefined ? lines.slice(-options.tailLines) : lines;
    return tail.length > 0 ? `${tail.join('\n')}\n` : '';
  }

  private envoyStats(pod: KubeObject): string {
    const uptime = Math.floor((Date.now() - this.startedAt) / 1000);
    const base = [
      '# TYPE envoy_server_live gauge',
      'envoy_server_live{} 1',
      '# TYPE envoy_server_state gauge',
      'envoy_server_state{} 0',
      '# TYPE envoy_server_uptime gauge',
      `envoy_server_uptime{} ${uptime}`,
    ].join('\n');
    return `${base}\n${this.telemetry.prometheusText(pod)}`;
  }

  private envoyAdmin(pod: KubeObject, request: PodHttpRequest): PodHttpResponse {
    switch (pathOf(request)) {
      case '/ready':
        return text(200, 'LIVE\n');
      case '/server_info':
        return json(200, {
          version: 'istio-envoy/1.32.3/Clean/RELEASE/BoringSSL',
          state: 'LIVE',
          uptime_current_epoch: `${Math.floor((Date.now() - this.startedAt) / 1000)}s`,
          node: {
            id: `sidecar~${isPlainObject(pod.status) ? String(pod.status.podIP) : ''}~${pod.metadata.name}.${pod.metadata.namespace}~${pod.metadata.namespace}.svc.cluster.local`,
          },
        });
      case '/stats/prometheus':
        return text(200, this.envoyStats(pod), prometheusContentType);
      case '/clusters': {
        const format =
          new URLSearchParams(request.path.split('?')[1] ?? '').get('format') === 'json' ? 'json' : 'text';
        const body = this.telemetry.clusters(pod, format);
        if (body === undefined) return text(503, 'no clusters yet\n');
        return format === 'json'
          ? { status: 200, headers: { 'content-type': 'application/json' }, body }
          : text(200, body);
      }
      case '/config_dump': {
        const body = this.telemetry.configDump(pod);
        return body === undefined
          ? text(503, 'no configuration yet\n')
          : { status: 200, headers: { 'content-type': 'application/json' }, body };
      }
      default:
        return text(404, `invalid path: ${pathOf(request)}\n`);
    }
  }

  private application(pod: KubeObject, port: number, request: PodHttpRequest): PodHttpResponse {
    const labels = pod.metadata.labels ?? {};
    return json(200, {
      service: labels.app ?? pod.metadata.name,
      version: labels.version ?? 'latest',
      pod: pod.metadata.name,
      port,
      method: request.method,
      path: request.path,
    });
  }
}
