/**
 * The traffic engine: every tick, the workloads that generate load send their requests, and every
 * request follows the live configuration hop by hop — routing, faults, outlier detection,
 * connection-pool limits, mTLS and authorization — while both sidecars record Istio telemetry and
 * access logs. State per caller pod mirrors Envoy's: each proxy has its own outlier detector.
 */
import type { SimulatedCluster } from '../cluster/cluster';
import type { KubeObject } from '../cluster/types';
import type { SeededRandom } from '../random';
import { type Behaviour, behaviourOf, type CallSpec, type GeneratorSpec } from './behaviour';
import { clustersJson, clustersText, configDump } from './envoy-admin';
import {
  fullyQualified,
  list,
  MeshConfig,
  type MeshPod,
  type MeshService,
  principalOf,
  record,
  strings,
} from './mesh-config';
import { ClusterOutlierState } from './outlier-detection';
import type { SidecarTelemetry } from './pods';
import { type RouteDecision, route, type SimulatedRequest, subsetPods, trafficPolicy } from './routing';
import { authorize, connect } from './security';
import { type RequestLabels, SidecarMetrics, statsInclusions } from './telemetry';

export interface CallResult {
  status: number;
  flags: string;
  durationMs: number;
  responseBytes: number;
}

interface ClusterLoad {
  requests: number;
  latencyTotal: number;
}

const accessLogLimit = 500;
const maxDepth = 12;

function podKey(pod: { namespace: string; name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

function clusterName(port: number, subset: string | undefined, fqdn: string): string {
  return `outbound|${port}|${subset ?? ''}|${fqdn}`;
}

function isRetriable(status: number, flags: string, retryOn: string[]): boolean {
  if (flags === 'UC' || flags === 'UF')
    return retryOn.includes('connect-failure') || retryOn.includes('reset');
  if (retryOn.includes('5xx') && status >= 500) return true;
  if (retryOn.includes('gateway-error') && (status === 502 || status === 503 || status === 504)) return true;
  return retryOn.includes('retriable-status-codes') && status === 503;
}

export class TrafficEngine implements SidecarTelemetry {
  private config: MeshConfig;
  private configVersion = -1;
  private readonly metrics = new Map<string, SidecarMetrics>();
  /** per caller pod and upstream cluster, with what its policy is looked up by */
  private readonly outliers = new Map<
    string,
    { state: ClusterOutlierState; fqdn: string; subset: string | undefined; callerNamespace: string }
  >();
  private readonly logs = new Map<string, string[]>();
  private readonly carry = new Map<string, number>();
  private readonly roundRobin = new Map<string, number>();
  private loads = new Map<string, ClusterLoad>();
  private readonly averageLatency = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private now = Date.now();
  /** total simulated requests (every hop counts), for benchmarks */
  requestCount = 0;

  constructor(
    private readonly cluster: SimulatedCluster,
    private readonly random: SeededRandom,
    readonly tickMs = 1000,
  ) {
    this.config = new MeshConfig(cluster);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Run one tick of `seconds` of traffic at time `now` (milliseconds since the epoch). */
  tick(now = Date.now(), seconds = this.tickMs / 1000): void {
    this.now = now;
    this.refresh();
    this.loads = new Map();
    for (const { state, fqdn, subset, callerNamespace } of this.outliers.values()) {
      state.sweep(now, trafficPolicy(this.config, fqdn, subset, callerNamespace).policy.outlier);
    }
    for (const pod of this.config.pods) {
      const behaviour = behaviourOf(pod);
      behaviour.generate.forEach((generator, index) => {
        const key = `${podKey(pod)}#${index}`;
        const due = (this.carry.get(key) ?? 0) + generator.rps * seconds;
        const count = Math.floor(due);
        this.carry.set(key, due - count);
        for (let request = 0; request < count; request += 1) this.originate(pod, generator);
      });
    }
  }

  /** The current configuration view (rebuilt when anything in the cluster changed). */
  meshConfig(): MeshConfig {
    this.refresh();
    return this.config;
  }

  metricsOf(pod: { namespace: string; name: string }): SidecarMetrics {
    const key = podKey(pod);
    let metrics = this.metrics.get(key);
    if (!metrics) {
      metrics = new SidecarMetrics();
      this.metrics.set(key, metrics);
    }
    return metrics;
  }

  /** Per-host outlier state of one caller pod's clusters. */
  outlierStates(pod: { namespace: string; name: string }): Map<string, ClusterOutlierState> {
    const prefix = `${podKey(pod)}#`;
    const found = new Map<string, ClusterOutlierState>();
    for (const [key, entry] of this.outliers) {
      if (key.startsWith(prefix)) found.set(key.slice(prefix.length), entry.state);
    }
    return found;
  }

  prometheusText(pod: KubeObject): string {
    const meshPod = this.config.podsByName.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    if (!meshPod?.sidecar) return '';
    return this.metricsOf(meshPod).render(statsInclusions(meshPod));
  }

  clusters(pod: KubeObject, format: 'text' | 'json'): string | undefined {
    const meshPod = this.meshConfig().podsByName.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    if (!meshPod) return undefined;
    return format === 'json'
      ? JSON.stringify(clustersJson(this, meshPod), null, 2)
      : clustersText(this, meshPod);
  }

  configDump(pod: KubeObject): string | undefined {
    const meshPod = this.meshConfig().podsByName.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    return meshPod ? JSON.stringify(configDump(this, meshPod), null, 2) : undefined;
  }

  accessLog(pod: KubeObject): string[] {
    return this.logs.get(`${pod.metadata.namespace}/${pod.metadata.name}`) ?? [];
  }

  /** Every sidecar's series with `namespace` and `pod` labels: one scrape for the whole mesh. */
  scrapeAll(): string {
    const parts: string[] = [];
    for (const pod of this.config.pods) {
      if (!pod.sidecar) continue;
      const metrics = this.metrics.get(podKey(pod));
      if (!metrics) continue;
      parts.push(metrics.render(statsInclusions(pod), `namespace="${pod.namespace}",pod="${pod.name}"`));
    }
    // One TYPE line per metric family is what the text format asks for: drop repeats.
    const seen = new Set<string>();
    return parts
      .join('')
      .split('\n')
      .filter((line) => {
        if (!line.startsWith('# TYPE ')) return true;
        if (seen.has(line)) return false;
        seen.add(line);
        return true;
      })
      .join('\n');
  }

  private refresh(): void {
    const version = this.cluster.store.resourceVersion;
    if (version === this.configVersion) return;
    this.config = new MeshConfig(this.cluster);
    this.configVersion = version;
  }

  private originate(pod: MeshPod, generator: GeneratorSpec): void {
    const request: SimulatedRequest = {
      method: generator.method,
      path: generator.path,
      headers: { ...generator.headers },
      port: generator.port,
    };
    if (generator.gateway) {
      this.throughGateway(pod, generator, request);
      return;
    }
    this.call(pod, pod.namespace, generator, request, 0);
  }

  /** Traffic from outside the mesh arriving at an ingress gateway pod, routed by the gateway's VirtualServices. */
  private throughGateway(gatewayPod: MeshPod, generator: GeneratorSpec, request: SimulatedRequest): void {
    const [gatewayNamespace, gatewayName] = (generator.gateway ?? '').split('/');
    const virtualService = this.gatewayVirtualService(
      gatewayNamespace ?? '',
      gatewayName ?? '',
      generator.host,
    );
    if (!virtualService) {
      this.accessLogLine(
        gatewayPod,
        request,
        { status: 404, flags: 'NR', durationMs: 0, responseBytes: 0 },
        'route_not_found',
        '-',
      );
      return;
    }
    const routes = list(record(virtualService.spec).http);
    const namespace = virtualService.metadata.namespace ?? '';
    const matched = routes.find((candidate) => {
      const matches = list(candidate.match);
      return matches.length === 0 || matches.some((match) => routeMatch(match, request));
    });
    const destination = record(record(list(matched?.route)[0]).destination);
    if (!matched || typeof destination.host !== 'string') {
      this.accessLogLine(
        gatewayPod,
        request,
        { status: 404, flags: 'NR', durationMs: 0, responseBytes: 0 },
        'route_not_found',
        '-',
      );
      return;
    }
    const port =
      typeof record(destination.port).number === 'number'
        ? (record(destination.port).number as number)
        : generator.port;
    this.call(
      gatewayPod,
      namespace,
      { ...generator, host: fullyQualified(destination.host, namespace), port },
      { ...request, port },
      0,
    );
  }

  private gatewayVirtualService(
    gatewayNamespace: string,
    gatewayName: string,
    host: string,
  ): KubeObject | undefined {
    return this.cluster.store.list('networking.istio.io/virtualservices').find((object) => {
      const spec = record(object.spec);
      const namespace = object.metadata.namespace ?? '';
      const bound = strings(spec.gateways).some(
        (gateway) =>
          gateway === `${gatewayNamespace}/${gatewayName}` ||
          (gateway === gatewayName && namespace === gatewayNamespace),
      );
      return bound && strings(spec.hosts).some((pattern) => pattern === '*' || pattern === host);
    });
  }

  /** One request from `source` (undefined: a caller outside the mesh) along its route, with retries. */
  call(
    source: MeshPod | undefined,
    sourceNamespace: string,
    spec: CallSpec,
    request: SimulatedRequest,
    depth: number,
  ): CallResult {
    const fqdn = fullyQualified(spec.host, sourceNamespace);
    const service = this.config.services.get(fqdn);
    if (!service) return { status: 503, flags: 'NR', durationMs: 0, responseBytes: 0 };
    const decision = route(this.config, source, sourceNamespace, service, request, this.random);
    if (!decision) {
      const result = { status: 404, flags: 'NR', durationMs: 0, responseBytes: 0 };
      this.recordSource(source, undefined, service, spec.protocol, result, false, request);
      return result;
    }
    if (decision.fault.abortStatus !== undefined) {
      const result = {
        status: decision.fault.abortStatus,
        flags: 'FI',
        durationMs: decision.fault.delayMs,
        responseBytes: 0,
      };
      this.recordSource(source, undefined, decision.service, spec.protocol, result, false, request);
      return result;
    }
    const attempts = 1 + Math.max(0, decision.retries.attempts);
    const tried = new Set<string>();
    let result: CallResult = { status: 503, flags: 'UH', durationMs: 0, responseBytes: 0 };
    let destination: MeshPod | undefined;
    let mutual = false;
    let elapsed = decision.fault.delayMs;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const outcome = this.attempt(source, sourceNamespace, decision, request, spec, tried, depth);
      result = outcome.result;
      destination = outcome.destination;
      mutual = outcome.mutual;
      elapsed += result.durationMs;
      if (
        !isRetriable(result.status, result.flags, decision.retries.retryOn) ||
        result.flags === 'UH' ||
        result.flags === 'UO'
      )
        break;
      if (attempt === attempts - 1 && attempts > 1) result = { ...result, flags: 'URX' };
    }
    result = { ...result, durationMs: elapsed };
    if (decision.fault.delayMs > 0 && result.flags === '-') result = { ...result, flags: 'DI' };
    if (decision.timeoutMs !== undefined && result.durationMs > decision.timeoutMs) {
      result = { status: 504, flags: 'UT', durationMs: decision.timeoutMs, responseBytes: 0 };
    }
    this.recordSource(
      source,
      destination,
      decision.service,
      spec.protocol,
      result,
      mutual,
      request,
      decision.subset,
      decision.port,
    );
    return result;
  }

  private attempt(
    source: MeshPod | undefined,
    sourceNamespace: string,
    decision: RouteDecision,
    request: SimulatedRequest,
    spec: CallSpec,
    tried: Set<string>,
    depth: number,
  ): { result: CallResult; destination: MeshPod | undefined; mutual: boolean } {
    const { policy, subsetLabels } = trafficPolicy(
      this.config,
      decision.service.fqdn,
      decision.subset,
      sourceNamespace,
    );
    const name = clusterName(decision.port, decision.subset, decision.service.fqdn);
    const stats = source ? this.metricsOf(source).cluster(name) : undefined;
    const outlier = source && stats ? this.outlierState(source, decision, name, stats) : undefined;
    const members = subsetPods(this.config.podsOf(decision.service), subsetLabels);
    const addresses = members.map((pod) => pod.ip);
    const healthyAddresses = outlier ? outlier.healthy(addresses) : addresses;
    if (healthyAddresses.length === 0)
      return {
        result: { status: 503, flags: 'UH', durationMs: 0, responseBytes: 91 },
        destination: undefined,
        mutual: false,
      };
    if (stats) stats.requests += 1;
    if (source && stats && this.overflows(source, name, policy.connectionPool, stats)) {
      return {
        result: { status: 503, flags: 'UO', durationMs: 0, responseBytes: 81 },
        destination: undefined,
        mutual: false,
      };
    }
    const fresh = healthyAddresses.filter((address) => !tried.has(address));
    const pool = fresh.length > 0 ? fresh : healthyAddresses;
    const address = this.pickHost(name, source, pool, policy.loadBalancer);
    tried.add(address);
    const destination = members.find((pod) => pod.ip === address);
    if (!destination)
      return {
        result: { status: 503, flags: 'UH', durationMs: 0, responseBytes: 0 },
        destination: undefined,
        mutual: false,
      };

    const targetPort =
      decision.service.ports.find((port) => port.port === decision.port)?.targetPort ?? decision.port;
    const connection = connect(this.config, source, destination, targetPort, policy.tlsMode);
    if (connection.kind === 'refused') {
      const result = { status: 503, flags: 'UC', durationMs: 1, responseBytes: 95 };
      this.accessLogLine(
        destination,
        request,
        { status: 0, flags: 'NR', durationMs: 0, responseBytes: 0 },
        connection.reason,
        'inbound',
      );
      outlier?.record(address, 503, this.now, policy.outlier, members.length);
      return { result, destination: undefined, mutual: false };
    }
    const mutual = connection.mutualTls;
    const authz = authorize(this.config, destination, {
      principal: mutual && source ? principalOf(source) : undefined,
      sourceNamespace: mutual && source ? source.namespace : undefined,
      sourceIp: source?.ip ?? '10.244.250.1',
      method: request.method,
      path: request.path,
      port: targetPort,
      host: decision.service.name,
      headers: request.headers,
    });
    let result: CallResult;
    if (!authz.allowed) {
      result = { status: 403, flags: '-', durationMs: 1, responseBytes: 19 };
    } else {
      result = this.serve(destination, spec.protocol, depth);
    }
    outlier?.record(address, result.status, this.now, policy.outlier, members.length);
    this.trackLatency(name, result.durationMs);
    this.recordDestination(
      source,
      destination,
      decision.service,
      spec.protocol,
      result,
      mutual,
      request,
      authz.allowed ? undefined : authz.policy,
    );
    return { result, destination, mutual };
  }

  /** The destination application: its own errors and latency, plus the calls it makes. */
  private serve(pod: MeshPod, protocol: 'http' | 'tcp', depth: number): CallResult {
    const behaviour: Behaviour = behaviourOf(pod);
    let durationMs = this.sampleLatency(behaviour.latencyMs);
    if (depth < maxDepth) {
      for (const call of behaviour.calls) {
        for (let index = 0; index < call.count; index += 1) {
          const downstream = this.call(
            pod,
            pod.namespace,
            call,
            { method: call.method, path: call.path, headers: { ...call.headers }, port: call.port },
            depth + 1,
          );
          durationMs += downstream.durationMs;
        }
      }
    }
    const failed = this.random.next() < behaviour.errorRate;
    if (protocol === 'tcp')
      return { status: 0, flags: '-', durationMs, responseBytes: behaviour.responseBytes };
    return failed
      ? { status: 500, flags: '-', durationMs, responseBytes: 120 }
      : {
          status: 200,
          flags: '-',
          durationMs,
          responseBytes: Math.round(behaviour.responseBytes * (0.8 + this.random.next() * 0.4)),
        };
  }

  /** Log-normal around the median: most requests near it, a long tail. */
  private sampleLatency(medianMs: number): number {
    const u = Math.max(this.random.next(), 1e-9);
    const v = this.random.next();
    const gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0.1, medianMs * Math.exp(0.35 * gaussian));
  }

  private outlierState(
    source: MeshPod,
    decision: RouteDecision,
    cluster: string,
    stats: ReturnType<SidecarMetrics['cluster']>,
  ): ClusterOutlierState {
    const key = `${podKey(source)}#${cluster}`;
    let entry = this.outliers.get(key);
    if (!entry) {
      entry = {
        state: new ClusterOutlierState(stats),
        fqdn: decision.service.fqdn,
        subset: decision.subset,
        callerNamespace: source.namespace,
      };
      this.outliers.set(key, entry);
    }
    return entry.state;
  }

  /**
   * Connection-pool limits: concurrency is estimated from this tick's request rate and the cluster's
   * recent latency (Little's law); past the limit a share of requests overflows with 503 UO.
   */
  private overflows(
    source: MeshPod,
    cluster: string,
    limits: { maxConnections: number; maxPending: number; maxRequests: number },
    stats: ReturnType<SidecarMetrics['cluster']>,
  ): boolean {
    const limit = Math.min(limits.maxRequests, limits.maxConnections + limits.maxPending);
    if (limit >= 2 ** 31) return false;
    const key = `${podKey(source)}#${cluster}`;
    const load = this.loads.get(key) ?? { requests: 0, latencyTotal: 0 };
    load.requests += 1;
    this.loads.set(key, load);
    const concurrency =
      (load.requests / (this.tickMs / 1000)) * ((this.averageLatency.get(cluster) ?? 10) / 1000);
    if (concurrency <= limit) return false;
    const overflow = this.random.next() < 1 - limit / concurrency;
    if (overflow) {
      stats.pendingOverflow += 1;
      if (concurrency > limits.maxConnections) stats.connectionOverflow += 1;
    }
    return overflow;
  }

  private trackLatency(cluster: string, durationMs: number): void {
    const previous = this.averageLatency.get(cluster);
    this.averageLatency.set(cluster, previous === undefined ? durationMs : previous * 0.9 + durationMs * 0.1);
  }

  private pickHost(
    cluster: string,
    source: MeshPod | undefined,
    addresses: string[],
    loadBalancer: string,
  ): string {
    if (loadBalancer === 'ROUND_ROBIN') {
      const key = `${source ? podKey(source) : '-'}#${cluster}`;
      const next = (this.roundRobin.get(key) ?? 0) + 1;
      this.roundRobin.set(key, next);
      return addresses[next % addresses.length] ?? addresses[0] ?? '';
    }
    return addresses[Math.floor(this.random.next() * addresses.length)] ?? addresses[0] ?? '';
  }

  /**
   * Istio's standard labels. Each side learns the other's identity through the sidecars' metadata
   * exchange, so a peer without a sidecar is `unknown`; the principal needs mutual TLS.
   */
  private labels(
    reporter: 'source' | 'destination',
    sourcePod: MeshPod | undefined,
    destinationPod: MeshPod | undefined,
    service: MeshService,
    protocol: string,
    result: CallResult,
    mutual: boolean,
  ): RequestLabels {
    const unknown = 'unknown';
    const source = sourcePod?.sidecar ? sourcePod : undefined;
    const destination = destinationPod?.sidecar ? destinationPod : undefined;
    return {
      reporter,
      source_workload: source?.workload ?? unknown,
      source_workload_namespace: source?.namespace ?? unknown,
      source_principal: mutual && source ? principalOf(source) : unknown,
      source_app: source?.app ?? unknown,
      source_version: source?.version ?? unknown,
      source_canonical_service: source?.canonicalService ?? unknown,
      source_canonical_revision: source?.canonicalRevision ?? unknown,
      source_cluster: source ? 'Kubernetes' : unknown,
      destination_workload: destination?.workload ?? unknown,
      destination_workload_namespace: destination?.namespace ?? unknown,
      destination_principal: mutual && destination ? principalOf(destination) : unknown,
      destination_app: destination?.app ?? unknown,
      destination_version: destination?.version ?? unknown,
      destination_service: service.fqdn,
      destination_service_name: service.name,
      destination_service_namespace: service.namespace,
      destination_canonical_service: destination?.canonicalService ?? unknown,
      destination_canonical_revision: destination?.canonicalRevision ?? unknown,
      destination_cluster: destination ? 'Kubernetes' : unknown,
      request_protocol: protocol,
      response_code: String(result.status),
      grpc_response_status: '',
      response_flags: result.flags,
      // The client side cannot know what the server enforced; Istio reports it as unknown there.
      connection_security_policy: reporter === 'destination' ? (mutual ? 'mutual_tls' : 'none') : unknown,
    };
  }

  private recordSource(
    source: MeshPod | undefined,
    destination: MeshPod | undefined,
    service: MeshService,
    protocol: string,
    result: CallResult,
    mutual: boolean,
    request: SimulatedRequest,
    subset?: string,
    port?: number,
  ): void {
    this.requestCount += 1;
    if (!source?.sidecar) return;
    const labels = this.labels('source', source, destination, service, protocol, result, mutual);
    const metrics = this.metricsOf(source);
    // As in Istio, whoever reports: `sent` is the server-to-client direction, `received` the other.
    if (protocol === 'tcp') metrics.recordTcp(labels, result.responseBytes, 200);
    else metrics.recordRequest(labels, result.durationMs, 200 + request.path.length, result.responseBytes);
    this.accessLogLine(
      source,
      request,
      result,
      clusterName(port ?? request.port, subset, service.fqdn),
      destination ? `${destination.ip}:${request.port}` : '-',
    );
  }

  private recordDestination(
    source: MeshPod | undefined,
    destination: MeshPod,
    service: MeshService,
    protocol: string,
    result: CallResult,
    mutual: boolean,
    request: SimulatedRequest,
    deniedBy: string | undefined,
  ): void {
    if (!destination.sidecar) return;
    const labels = this.labels('destination', source, destination, service, protocol, result, mutual);
    const metrics = this.metricsOf(destination);
    if (protocol === 'tcp') metrics.recordTcp(labels, result.responseBytes, 200);
    else metrics.recordRequest(labels, result.durationMs, 200 + request.path.length, result.responseBytes);
    this.accessLogLine(
      destination,
      request,
      result,
      deniedBy ? `rbac_access_denied_matched_policy[${deniedBy}]` : `inbound|${request.port}||`,
      `${destination.ip}:${request.port}`,
    );
  }

  /** Envoy's default text access log format, as Istio configures it. */
  private accessLogLine(
    pod: MeshPod,
    request: SimulatedRequest,
    result: CallResult,
    cluster: string,
    upstream: string,
  ): void {
    if (!pod.sidecar) return;
    const key = podKey(pod);
    let lines = this.logs.get(key);
    if (!lines) {
      lines = [];
      this.logs.set(key, lines);
    }
    const details =
      result.flags === '-'
        ? 'via_upstream'
        : result.flags === 'FI'
          ? 'fault_filter_abort'
          : result.flags === 'NR'
            ? cluster
            : '-';
    lines.push(
      `[${new Date(this.now).toISOString()}] "${request.method} ${request.path} HTTP/1.1" ${result.status} ${result.flags} ${details} "-" 0 ${result.responseBytes} ${Math.round(result.durationMs)} ${Math.round(result.durationMs)} "-" "meshscope-sim" "-" "${request.headers.host ?? '-'}" "${upstream}" ${cluster} ${pod.ip}:0 - -`,
    );
    if (lines.length > accessLogLimit) lines.splice(0, lines.length - accessLogLimit);
  }
}

function routeMatch(match: Record<string, unknown>, request: SimulatedRequest): boolean {
  const uri = record(match.uri);
  const path = request.path.split('?')[0] ?? '/';
  if (typeof uri.exact === 'string') return path === uri.exact;
  if (typeof uri.prefix === 'string') return path.startsWith(uri.prefix);
  if (typeof uri.regex === 'string') return new RegExp(`^(?:${uri.regex})$`).test(path);
  return true;
}
