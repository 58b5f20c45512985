/**
 * The traffic engine: every tick, the workloads that generate load send their requests, and every
 * request follows the live configuration hop by hop — routing, faults, outlier detection,
 * connection-pool limits, mTLS and authorization — while both sidecars record Istio telemetry and
 * access logs. State per caller pod mirrors Envoy's: each proxy has its own outlier detector.
 */
import { performance } from 'node:perf_hooks';
import type { SimulatedCluster } from '../cluster/cluster';
import type { KubeObject } from '../cluster/types';
import type { SeededRandom } from '../random';
import { AccessLogRing, AccessLogStrings } from './access-log';
import { type Behaviour, behaviourOf, type CallSpec, type GeneratorSpec } from './behaviour';
import { clustersJson, clustersText, configDump } from './envoy-admin';
import {
  Cache3,
  fullyQualified,
  list,
  MeshConfig,
  type MeshConfigPart,
  type MeshPod,
  type MeshService,
  meshConfigPart,
  principalOf,
  record,
  strings,
} from './mesh-config';
import { ClusterOutlierState } from './outlier-detection';
import type { SidecarTelemetry } from './pods';
import { LocalRateLimiter } from './rate-limit';
import {
  type RouteDecision,
  requestMatches,
  route,
  type SimulatedRequest,
  subsetMembers,
  trafficPolicy,
} from './routing';
import { type AuthzDecision, authorize, connect, openToAll } from './security';
import {
  ChunkPool,
  ExpositionWriter,
  familyCount,
  observeRequest,
  observeTcp,
  type RequestLabels,
  type RequestSeries,
  requestLabelText,
  SidecarMetrics,
  statsInclusions,
  type TcpSeries,
  tcpLabelText,
} from './telemetry';

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
/** median response time of a host outside the mesh, in milliseconds (a trip over the internet) */
const externalLatencyMs = 80;
/** typical response size of a host outside the mesh, in bytes */
const externalResponseBytes = 2000;
const maxDepth = 12;
/** how long a timer tick holds the event loop at a time */
const tickSliceMs = 10;
const allowed: AuthzDecision = { allowed: true };
/** Envoy's local rate limit reply: 429 with the body `local_rate_limited`, response flag RL. */
const localRateLimited: CallResult = { status: 429, flags: 'RL', durationMs: 0, responseBytes: 18 };

/** An outlier detector of one caller pod for one upstream cluster, with what its policy is looked up by. */
interface OutlierEntry {
  state: ClusterOutlierState;
  fqdn: string;
  subset: string | undefined;
  callerNamespace: string;
}

/** What the engine keeps per pod (by `namespace/name`): it outlives MeshConfig rebuilds. */
interface PodState {
  metrics: SidecarMetrics;
  log: AccessLogRing | undefined;
  /** by upstream cluster name */
  outliers: Map<string, OutlierEntry>;
  /** fractional requests owed, per generator of the pod's behaviour */
  carry: number[];
}

/** Stands for "no peer with a sidecar" in the series cache (a Map key cannot be undefined-safe across levels). */
const outside = {};
type Peer = MeshPod | typeof outside;
type AnySeries = RequestSeries | TcpSeries;
/**
 * The series a hop records into, by source peer → destination peer → service → response flags →
 * (status, protocol, reporter, mTLS): one lookup chain on objects and interned strings instead of
 * rendering a 25-label key per hop.
 */
type SeriesCache = Map<Peer, Map<Peer, Map<MeshService, Map<string, Map<number, AnySeries>>>>>;

function outcomeKey(status: number, tcp: boolean, destinationReporter: boolean, mutual: boolean): number {
  return status * 8 + (tcp ? 4 : 0) + (destinationReporter ? 2 : 0) + (mutual ? 1 : 0);
}

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
  /** parts of the MeshConfig changed in the store since it was built */
  private readonly changed = new Set<MeshConfigPart>();
  private readonly unsubscribe: () => void;
  /** EnvoyFilters' local rate limits and each sidecar's token buckets */
  private readonly rateLimits: LocalRateLimiter;
  private readonly podStatesByKey = new Map<string, PodState>();
  /** the same, by the current view's MeshPod objects */
  private podStates = new WeakMap<MeshPod, PodState>();
  /** outlier detectors with ejected hosts or ejection multipliers to bring down: the only ones swept */
  private readonly activeOutliers = new Set<OutlierEntry>();
  private readonly logStrings = new AccessLogStrings();
  private seriesCache: SeriesCache = new Map();
  /** `outbound|PORT|SUBSET|FQDN` per service, subset and port */
  private readonly clusterNames = new WeakMap<MeshService, Map<string, Map<number, string>>>();
  /** `IP:PORT` per pod and port */
  private readonly upstreams = new WeakMap<MeshPod, Map<number, string>>();
  private readonly inboundClusters = new Map<number, string>();
  /** fully qualified names of call hosts, by caller namespace and host */
  private readonly hosts = new Map<string, Map<string, string>>();
  private gatewayRoutes = new Cache3<KubeObject | undefined>();
  private readonly requests = new WeakMap<CallSpec, SimulatedRequest>();
  private readonly roundRobin = new Map<string, number>();
  private loads = new Map<string, ClusterLoad>();
  private readonly averageLatency = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  /** a timer tick is running (in slices) */
  private ticking = false;
  private now = Date.now();
  /** total simulated requests (every hop counts), for benchmarks */
  requestCount = 0;

  constructor(
    private readonly cluster: SimulatedCluster,
    private readonly random: SeededRandom,
    readonly tickMs = 1000,
  ) {
    this.config = new MeshConfig(cluster);
    this.rateLimits = new LocalRateLimiter(cluster, random);
    // Only kinds the view reads make a new one: endpoints, replica sets and status writes do not.
    this.unsubscribe = cluster.store.subscribe((change) => {
      const part = meshConfigPart(change.resource, change.object);
      if (part) this.changed.add(part);
    });
  }

  /** Tick every `tickMs` of real time, each tick in slices (see tickInSlices). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tickInSlices(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stop and stop following the cluster's changes. */
  dispose(): void {
    this.stop();
    this.unsubscribe();
    this.rateLimits.dispose();
  }

  /** Run one tick of `seconds` of traffic at time `now` (milliseconds since the epoch). */
  tick(now = Date.now(), seconds = this.tickMs / 1000): void {
    for (const _ of this.tickSteps(now, seconds));
  }

  /**
   * One timer tick, run in slices of about `tickSliceMs` with a turn of the event loop between
   * them, so that API requests and scrapes are served during a large mesh's tick (the view is the
   * one the tick started with). A tick still running when the next is due makes that one skip, as
   * a late interval timer would.
   */
  private tickInSlices(): void {
    if (this.ticking) return;
    this.ticking = true;
    const steps = this.tickSteps(Date.now(), this.tickMs / 1000);
    const slice = () => {
      try {
        if (!this.timer) {
          this.ticking = false;
          return;
        }
        const deadline = performance.now() + tickSliceMs;
        do {
          if (steps.next().done) {
            this.ticking = false;
            return;
          }
        } while (performance.now() < deadline);
        setImmediate(slice);
      } catch (error) {
        this.ticking = false;
        throw error;
      }
    };
    slice();
  }

  /** A tick, one originated request (and everything it causes) per step. */
  private *tickSteps(now: number, seconds: number): Generator<void> {
    this.now = now;
    this.refresh();
    this.loads = new Map();
    // A detector with nothing ejected and nothing to forgive has nothing to sweep.
    for (const entry of this.activeOutliers) {
      const { state, fqdn, subset, callerNamespace } = entry;
      state.sweep(now, trafficPolicy(this.config, fqdn, subset, callerNamespace).policy.outlier);
      if (!state.needsSweep) this.activeOutliers.delete(entry);
    }
    for (const pod of this.config.pods) {
      const behaviour = behaviourOf(pod);
      if (behaviour.generate.length === 0) continue;
      const carry = this.podState(pod).carry;
      for (let index = 0; index < behaviour.generate.length; index += 1) {
        const generator = behaviour.generate[index] as GeneratorSpec;
        const due = (carry[index] ?? 0) + generator.rps * seconds;
        const count = Math.floor(due);
        carry[index] = due - count;
        for (let request = 0; request < count; request += 1) {
          this.originate(pod, generator);
          yield;
        }
      }
    }
  }

  /** The current configuration view (rebuilt when anything in the cluster changed). */
  meshConfig(): MeshConfig {
    this.refresh();
    return this.config;
  }

  metricsOf(pod: { namespace: string; name: string }): SidecarMetrics {
    return this.stateOf(podKey(pod)).metrics;
  }

  /** Per-host outlier state of one caller pod's clusters. */
  outlierStates(pod: { namespace: string; name: string }): Map<string, ClusterOutlierState> {
    const found = new Map<string, ClusterOutlierState>();
    for (const [cluster, entry] of this.podStatesByKey.get(podKey(pod))?.outliers ?? [])
      found.set(cluster, entry.state);
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

  accessLog(pod: KubeObject, tailLines?: number): string[] {
    return (
      this.podStatesByKey.get(`${pod.metadata.namespace}/${pod.metadata.name}`)?.log?.lines(tailLines) ?? []
    );
  }

  /**
   * Every sidecar's series with `namespace` and `pod` labels: one scrape for the whole mesh, as
   * chunks of Prometheus text (UTF-8) of the pool's chunk size (64 KiB unless given a pool). Family
   * by family across the sidecars, so each family's TYPE line comes once, before its series. Lazy:
   * a consumer that stops early stops the work, and one that spreads the iteration over several
   * event-loop turns sees each series whole (counters only grow between chunks). A consumer that
   * passes a pool gives each chunk back to it once done with it.
   */
  *scrapeChunks(pool?: ChunkPool): Generator<Buffer> {
    const sidecars: { metrics: SidecarMetrics; inclusions: RegExp[] }[] = [];
    for (const pod of this.config.pods) {
      if (!pod.sidecar) continue;
      const metrics = this.podStatesByKey.get(podKey(pod))?.metrics;
      if (metrics) sidecars.push({ metrics, inclusions: statsInclusions(pod) });
    }
    const ready: Buffer[] = [];
    const writer = new ExpositionWriter((chunk) => ready.push(chunk), pool);
    for (let family = 0; family < familyCount; family += 1) {
      let typed = false;
      const typeLine = () => {
        if (typed) return;
        typed = true;
        writer.typeLine(family);
      };
      for (const sidecar of sidecars) {
        sidecar.metrics.writeFamily(writer, family, true, sidecar.inclusions, typeLine);
        if (ready.length > 0) {
          yield* ready;
          ready.length = 0;
        }
      }
    }
    writer.flush();
    yield* ready;
  }

  /** scrapeChunks() as one string (for tests and benchmarks; the API server streams the chunks). */
  scrapeAll(): string {
    // Large blocks, each decoded and handed back: one or two blocks live at a time. Lines never
    // straddle blocks, so neither do UTF-8 sequences.
    const pool = new ChunkPool(8 * 1024 * 1024, 2);
    const parts: string[] = [];
    for (const chunk of this.scrapeChunks(pool)) {
      parts.push(chunk.toString('utf8'));
      pool.give(chunk);
    }
    return parts.join('');
  }

  private refresh(): void {
    if (this.changed.size === 0) return;
    const changed = new Set(this.changed);
    this.changed.clear();
    this.config = new MeshConfig(this.cluster, this.config, changed);
    this.gatewayRoutes = new Cache3();
    if (this.config.rebuilt.has('workloads')) {
      // Pods and services may have gone or changed: start the per-view caches afresh, and forget
      // the state of pods that no longer exist (a pod of the same name later is a new Envoy).
      this.seriesCache = new Map();
      this.podStates = new WeakMap();
      for (const [key, state] of this.podStatesByKey) {
        const slash = key.indexOf('/');
        if (this.cluster.store.get('/pods', key.slice(0, slash), key.slice(slash + 1))) continue;
        for (const entry of state.outliers.values()) this.activeOutliers.delete(entry);
        this.podStatesByKey.delete(key);
      }
    }
  }

  private stateOf(key: string): PodState {
    let state = this.podStatesByKey.get(key);
    if (!state) {
      const slash = key.indexOf('/');
      const pod = { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
      state = { metrics: new SidecarMetrics(pod), log: undefined, outliers: new Map(), carry: [] };
      this.podStatesByKey.set(key, state);
    }
    return state;
  }

  /** stateOf() for a pod of the current view, without building its key. */
  private podState(pod: MeshPod): PodState {
    let state = this.podStates.get(pod);
    if (!state) {
      state = this.stateOf(podKey(pod));
      this.podStates.set(pod, state);
    }
    return state;
  }

  private clusterName(port: number, subset: string | undefined, service: MeshService): string {
    let bySubset = this.clusterNames.get(service);
    if (!bySubset) {
      bySubset = new Map();
      this.clusterNames.set(service, bySubset);
    }
    let byPort = bySubset.get(subset ?? '');
    if (!byPort) {
      byPort = new Map();
      bySubset.set(subset ?? '', byPort);
    }
    let name = byPort.get(port);
    if (name === undefined) {
      name = clusterName(port, subset, service.fqdn);
      byPort.set(port, name);
    }
    return name;
  }

  private upstream(pod: MeshPod, port: number): string {
    let byPort = this.upstreams.get(pod);
    if (!byPort) {
      byPort = new Map();
      this.upstreams.set(pod, byPort);
    }
    let address = byPort.get(port);
    if (address === undefined) {
      address = `${pod.ip}:${port}`;
      byPort.set(port, address);
    }
    return address;
  }

  private inboundCluster(port: number): string {
    let name = this.inboundClusters.get(port);
    if (name === undefined) {
      name = `inbound|${port}||`;
      this.inboundClusters.set(port, name);
    }
    return name;
  }

  private qualify(host: string, namespace: string): string {
    let byHost = this.hosts.get(namespace);
    if (!byHost) {
      byHost = new Map();
      this.hosts.set(namespace, byHost);
    }
    let fqdn = byHost.get(host);
    if (fqdn === undefined) {
      fqdn = fullyQualified(host, namespace);
      // Hosts come from pod annotations; an endless stream of new ones must not grow this forever.
      if (byHost.size >= 10_000) byHost.clear();
      byHost.set(host, fqdn);
    }
    return fqdn;
  }

  /** The request a call spec sends: the same object every time (requests are never changed). */
  private requestOf(spec: CallSpec): SimulatedRequest {
    let request = this.requests.get(spec);
    if (!request) {
      request = { method: spec.method, path: spec.path, headers: { ...spec.headers }, port: spec.port };
      this.requests.set(spec, request);
    }
    return request;
  }

  private originate(pod: MeshPod, generator: GeneratorSpec): void {
    const request = this.requestOf(generator);
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
      return (
        matches.length === 0 ||
        matches.some((match) => requestMatches(match, request, gatewayPod.labels, gatewayPod.namespace))
      );
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
    return this.gatewayRoutes.get(gatewayNamespace, gatewayName, host, this.findGatewayVirtualService);
  }

  private readonly findGatewayVirtualService = (
    gatewayNamespace: string,
    gatewayName: string,
    host: string,
  ): KubeObject | undefined => {
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
  };

  /** One request from `source` (undefined: a caller outside the mesh) along its route, with retries. */
  call(
    source: MeshPod | undefined,
    sourceNamespace: string,
    spec: CallSpec,
    request: SimulatedRequest,
    depth: number,
  ): CallResult {
    const fqdn = this.qualify(spec.host, sourceNamespace);
    const service =
      this.config.services.get(fqdn) ??
      this.config.externalService(spec.host, sourceNamespace, spec.protocol);
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
    // A local rate limit on the caller's outbound listener answers before any upstream is picked.
    if (source && spec.protocol !== 'tcp' && this.rateLimits.limitsOutbound(source, this.now)) {
      this.recordSource(source, undefined, decision.service, spec.protocol, localRateLimited, false, request);
      return localRateLimited;
    }
    if (decision.service.external) return this.callExternal(source, decision, spec, request);
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

  /**
   * A call that leaves the mesh: no sidecar answers on the other side, so only the caller's
   * reports it. Through a ServiceEntry or PassthroughCluster the external host answers (internet
   * latency); BlackHoleCluster refuses it — HTTP with Envoy's direct 502 (`block_all` route),
   * TCP with the connection closed before any byte.
   */
  private callExternal(
    source: MeshPod | undefined,
    decision: RouteDecision,
    spec: CallSpec,
    request: SimulatedRequest,
  ): CallResult {
    let result: CallResult;
    if (decision.service.external === 'BlackHoleCluster') {
      result = { status: spec.protocol === 'tcp' ? 0 : 502, flags: '-', durationMs: 0, responseBytes: 0 };
    } else {
      const durationMs = decision.fault.delayMs + this.sampleLatency(externalLatencyMs);
      result = {
        status: spec.protocol === 'tcp' ? 0 : 200,
        flags: decision.fault.delayMs > 0 ? 'DI' : '-',
        durationMs,
        responseBytes: Math.round(externalResponseBytes * (0.8 + this.random.next() * 0.4)),
      };
      if (decision.timeoutMs !== undefined && durationMs > decision.timeoutMs)
        result = { status: 504, flags: 'UT', durationMs: decision.timeoutMs, responseBytes: 0 };
    }
    this.recordSource(
      source,
      undefined,
      decision.service,
      spec.protocol,
      result,
      false,
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
    const name = this.clusterName(decision.port, decision.subset, decision.service);
    const stats = source ? this.podState(source).metrics.cluster(name) : undefined;
    const outlierEntry = source && stats ? this.outlierState(source, decision, name, stats) : undefined;
    const outlier = outlierEntry?.state;
    const { pods: members, addresses } = subsetMembers(this.config, decision.service, subsetLabels);
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
    const fresh =
      tried.size === 0 ? healthyAddresses : healthyAddresses.filter((address) => !tried.has(address));
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
      this.recordOutlier(outlierEntry, address, 503, policy.outlier, members.length);
      return { result, destination: undefined, mutual: false };
    }
    const mutual = connection.mutualTls;
    const authz = openToAll(this.config, destination)
      ? allowed
      : authorize(this.config, destination, {
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
    } else if (spec.protocol !== 'tcp' && this.rateLimits.limitsInbound(destination, this.now)) {
      result = localRateLimited;
    } else {
      result = this.serve(destination, spec.protocol, depth);
    }
    this.recordOutlier(outlierEntry, address, result.status, policy.outlier, members.length);
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
    // The flag is the limiting sidecar's: the caller's sees an upstream 429 (flags `-`).
    if (result === localRateLimited) result = { ...result, flags: '-' };
    return { result, destination, mutual };
  }

  /** The destination application: its own errors and latency, plus the calls it makes. */
  private serve(pod: MeshPod, protocol: 'http' | 'tcp', depth: number): CallResult {
    const behaviour: Behaviour = behaviourOf(pod);
    let durationMs = this.sampleLatency(behaviour.latencyMs);
    if (depth < maxDepth) {
      for (const call of behaviour.calls) {
        for (let index = 0; index < call.count; index += 1) {
          const downstream = this.call(pod, pod.namespace, call, this.requestOf(call), depth + 1);
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
  ): OutlierEntry {
    const outliers = this.podState(source).outliers;
    let entry = outliers.get(cluster);
    if (!entry) {
      entry = {
        state: new ClusterOutlierState(stats),
        fqdn: decision.service.fqdn,
        subset: decision.subset,
        callerNamespace: source.namespace,
      };
      outliers.set(cluster, entry);
    }
    return entry;
  }

  private recordOutlier(
    entry: OutlierEntry | undefined,
    address: string,
    status: number,
    policy: Parameters<ClusterOutlierState['record']>[3],
    hostCount: number,
  ): void {
    if (!entry) return;
    entry.state.record(address, status, this.now, policy, hostCount);
    if (entry.state.needsSweep) this.activeOutliers.add(entry);
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

  /**
   * The series a hop records into on the reporter's side: cached per peer pair, service and
   * outcome, so the 25 labels are rendered once per series rather than once per hop.
   */
  private seriesFor(
    reporter: 'source' | 'destination',
    sourcePod: MeshPod | undefined,
    destinationPod: MeshPod | undefined,
    service: MeshService,
    protocol: string,
    result: CallResult,
    mutual: boolean,
  ): AnySeries {
    const source: Peer = sourcePod?.sidecar ? sourcePod : outside;
    const destination: Peer = destinationPod?.sidecar ? destinationPod : outside;
    let byDestination = this.seriesCache.get(source);
    if (!byDestination) {
      byDestination = new Map();
      this.seriesCache.set(source, byDestination);
    }
    let byService = byDestination.get(destination);
    if (!byService) {
      byService = new Map();
      byDestination.set(destination, byService);
    }
    let byFlags = byService.get(service);
    if (!byFlags) {
      byFlags = new Map();
      byService.set(service, byFlags);
    }
    let byOutcome = byFlags.get(result.flags);
    if (!byOutcome) {
      byOutcome = new Map();
      byFlags.set(result.flags, byOutcome);
    }
    const tcp = protocol === 'tcp';
    const key = outcomeKey(result.status, tcp, reporter === 'destination', mutual);
    let series = byOutcome.get(key);
    if (!series) {
      const reporterPod = (reporter === 'source' ? sourcePod : destinationPod) as MeshPod;
      const labels = this.labels(reporter, sourcePod, destinationPod, service, protocol, result, mutual);
      const metrics = this.podState(reporterPod).metrics;
      series = tcp
        ? metrics.tcpSeries(tcpLabelText(labels))
        : metrics.requestSeries(requestLabelText(labels));
      byOutcome.set(key, series);
    }
    return series;
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
    const series = this.seriesFor('source', source, destination, service, protocol, result, mutual);
    // As in Istio, whoever reports: `sent` is the server-to-client direction, `received` the other.
    if (protocol === 'tcp') observeTcp(series as TcpSeries, result.responseBytes, 200);
    else
      observeRequest(
        series as RequestSeries,
        result.durationMs,
        200 + request.path.length,
        result.responseBytes,
      );
    this.accessLogLine(
      source,
      request,
      result,
      // Envoy's own clusters for unregistered hosts keep their names in the log.
      service.external === 'PassthroughCluster' || service.external === 'BlackHoleCluster'
        ? service.name
        : this.clusterName(port ?? request.port, subset, service),
      destination ? this.upstream(destination, request.port) : '-',
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
    const series = this.seriesFor('destination', source, destination, service, protocol, result, mutual);
    if (protocol === 'tcp') observeTcp(series as TcpSeries, result.responseBytes, 200);
    else
      observeRequest(
        series as RequestSeries,
        result.durationMs,
        200 + request.path.length,
        result.responseBytes,
      );
    this.accessLogLine(
      destination,
      request,
      result,
      deniedBy ? `rbac_access_denied_matched_policy[${deniedBy}]` : this.inboundCluster(request.port),
      this.upstream(destination, request.port),
    );
  }

  /** Envoy's default text access log format, as Istio configures it (formatted when read). */
  private accessLogLine(
    pod: MeshPod,
    request: SimulatedRequest,
    result: CallResult,
    cluster: string,
    upstream: string,
  ): void {
    if (!pod.sidecar) return;
    const state = this.podState(pod);
    state.log ??= new AccessLogRing(this.logStrings, accessLogLimit);
    state.log.add(
      this.now,
      request.method,
      request.path,
      request.headers.host ?? '-',
      result.status,
      result.flags,
      result.responseBytes,
      result.durationMs,
      cluster,
      upstream,
      pod.ip,
    );
  }
}
