import 'server-only';
import { parseIstioClusterName } from '@/lib/envoy/clusters';
import { appliedPolicies, policyOfCluster } from '@/lib/resilience/applied-policies';
import { ejectionCount } from '@/lib/resilience/ejection-limits';
import { estimateEjection, type OutlierTiming } from '@/lib/resilience/ejections';
import { servicesThatMayEject } from '@/lib/resilience/graph-ejections';
import type { ResilienceQuery } from '@/lib/resilience/params';
import { podsInSubset } from '@/lib/resilience/policy';
import { OUTLIER_STATS_ANNOTATION, statsAdvice } from '@/lib/resilience/stats-annotation';
import {
  callersFromTelemetry,
  circuitBreakerLimits,
  counterIncrease,
  flaggedResponses,
  hostEjection,
  podResilience,
  summarize,
  upstreamHost,
} from '@/lib/resilience/views';
import type { ApiWarning } from '@/lib/types/api';
import type { ConfigSnapshot, PodInfo, ServiceInfo } from '@/lib/types/mesh-config';
import type {
  AppliedDestinationRule,
  CallerCluster,
  CallerView,
  ClusterPolicy,
  EjectionEvent,
  EjectionSeries,
  OverflowCounters,
  OverflowView,
  PodResilience,
  ResilienceHistory,
  ResilienceResponse,
  WorkloadRef,
} from '@/lib/types/resilience';
import type { RequestSample, TelemetrySnapshot } from '@/lib/types/telemetry';
import { currentIdentityKey, KUBECONFIG_IDENTITY } from './auth/caller';
import { IdentityPool } from './auth/identity-pool';
import { visibleNamespaces } from './auth/namespace-access';
import { getConfigSnapshot, type SnapshotResult } from './config-snapshot';
import { type EnvoyAdmin, getEnvoyAdmin } from './envoy/admin-client';
import { type CallerState, ClustersPoller, type PollTarget } from './envoy/clusters-poller';
import { AppError } from './errors';
import { logger } from './logger';
import {
  prometheusEjectionSeries,
  prometheusOverflowCounters,
  type ResilienceMetrics,
  resilienceMetricsFromConfig,
  stepFor,
} from './resilience-prometheus';
import { type Clock, systemClock } from './telemetry/clock';
import { getTelemetrySource, type TelemetrySource } from './telemetry/source';

/**
 * Prometheus answers for every caller pod; in token and header modes only the callers in
 * namespaces the caller of this request may list pods in are kept (as for all telemetry).
 */
async function ofVisibleCallers<T extends { caller: { namespace: string } }>(items: T[]): Promise<T[]> {
  const visible = await visibleNamespaces(items.map((item) => item.caller.namespace));
  return items.filter((item) => visible.has(item.caller.namespace));
}

/**
 * `GET /api/resilience/NAMESPACE/SERVICE`: a service's DestinationRule policies, the live state of
 * its pods in each caller's Envoy, ejection history, overflow counts and UO/UH responses.
 *
 * Only the service's callers are polled (from telemetry: the workloads with requests to it in the
 * window; before there is any, the sidecars of its namespace), at most `maxCallers` pods, while
 * someone asks: each answer keeps the service watched for `idleMs`, and a loop polls its callers'
 * `/clusters` every `intervalMs` meanwhile, so ejections are seen as they happen and history
 * builds up. An answer polls at once when the last round is older than the interval. History:
 * Prometheus' `envoy_cluster_outlier_detection_ejections_active` when the telemetry source is
 * Prometheus and has the series, else this server's polls (at most `maxHistorySeconds`, since
 * polling began). Per-host events always come from polls: Prometheus does not know hosts.
 */

export interface ResilienceDependencies {
  admin: EnvoyAdmin;
  snapshot(namespaces: string[]): Promise<SnapshotResult>;
  telemetry(): Promise<TelemetrySource>;
  /** Prometheus for history and counters, asked only when the telemetry source is Prometheus */
  prometheus?(): ResilienceMetrics;
  clock?: Clock;
}

export interface ResilienceOptions {
  /** milliseconds between polls of the callers (default 5 s) */
  intervalMs?: number;
  /** stop polling a service nobody asked about for this long, in milliseconds (default 2 min) */
  idleMs?: number;
  /** most caller pods polled per service (default 50) */
  maxCallers?: number;
  /** longest history kept from polls, in seconds (default 30 min) */
  maxHistorySeconds?: number;
}

const defaults = { intervalMs: 5_000, idleMs: 120_000, maxCallers: 50, maxHistorySeconds: 1_800 };

interface Watch {
  askedAt: number;
  /** namespaces of callers seen in telemetry, asked about again next time */
  callerNamespaces: Set<string>;
}

/** Ejections of the graph's services: per `namespace/name`, each pod's worst state among its callers. */
export interface GraphEjections {
  byService: Map<string, PodResilience[]>;
  /** caller pods polled for the graph */
  callerPods: number;
  /** services left out because the caller budget was spent */
  skipped: number;
  /** Envoy admin requests of the last poll round (all watched services) */
  requestsPerRound: number;
}

interface TelemetryRead {
  source: TelemetrySource | undefined;
  snapshot: TelemetrySnapshot | undefined;
}

interface Callers {
  targets: PollTarget[];
  from: 'telemetry' | 'namespace' | 'none';
  capped: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

function timingOf(policy: ClusterPolicy | undefined): OutlierTiming | undefined {
  const outlier = policy?.outlierDetection.value;
  return outlier
    ? {
        intervalMs: outlier.intervalMs,
        baseEjectionTimeMs: outlier.baseEjectionTimeMs,
        maxEjectionTimeMs: outlier.maxEjectionTimeMs,
      }
    : undefined;
}

function selects(service: ServiceInfo, pod: PodInfo): boolean {
  const selector = Object.entries(service.selector);
  return (
    pod.namespace === service.namespace &&
    selector.length > 0 &&
    selector.every(([key, value]) => pod.labels[key] === value)
  );
}

function messageOf(error: unknown): string {
  return error instanceof AppError ? error.message : 'see the dashboard logs';
}

export class ResilienceMonitor {
  private readonly clock: Clock;
  private readonly options: typeof defaults;
  private readonly poller: ClustersPoller;
  private readonly watches = new Map<string, Watch>();
  private cancelTimer: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly dependencies: ResilienceDependencies,
    options: ResilienceOptions = {},
  ) {
    this.clock = dependencies.clock ?? systemClock;
    this.options = { ...defaults, ...options };
    this.poller = new ClustersPoller(dependencies.admin, {
      clock: this.clock,
      historyMs: this.options.maxHistorySeconds * 1000,
    });
  }

  /** Services being watched now. */
  get watching(): number {
    return this.watches.size;
  }

  /** Resolves when no poll round is in flight. */
  settled(): Promise<void> {
    return this.poller.settled();
  }

  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    for (const key of this.watches.keys()) this.poller.dropInterest(key);
    this.watches.clear();
  }

  async get(query: ResilienceQuery): Promise<ResilienceResponse> {
    const { namespace, service: name, windowSeconds } = query;
    const key = `${namespace}/${name}`;
    const fqdn = `${name}.${namespace}.svc.cluster.local`;
    const watch = this.watches.get(key) ?? { askedAt: 0, callerNamespaces: new Set<string>() };
    const warnings: ApiWarning[] = [];

    const telemetry = await this.readTelemetry(
      [namespace, ...watch.callerNamespaces],
      windowSeconds,
      warnings,
    );
    const fromTelemetry = callersFromTelemetry(telemetry.snapshot?.requests ?? [], fqdn);
    for (const caller of fromTelemetry) watch.callerNamespaces.add(caller.namespace);
    const config = await this.dependencies.snapshot([...new Set([namespace, ...watch.callerNamespaces])]);
    warnings.push(...config.warnings);
    const service = config.snapshot.services.find(
      (candidate) => candidate.namespace === namespace && candidate.name === name,
    );
    if (!service) {
      // Caches still loading or cut off cannot tell a missing Service from one not seen yet.
      if (config.warnings.length > 0)
        throw new AppError(
          'unavailable:kube',
          `Service ${namespace}/${name} is not in the cached configuration yet`,
          {
            details: { warnings: config.warnings },
          },
        );
      throw new AppError('not-found', `No Service ${namespace}/${name}`);
    }

    const callers = this.callerTargets(config.snapshot, service, fromTelemetry, warnings);
    const labelsOf = (target: PollTarget) =>
      config.snapshot.workloads.find(
        (workload) => workload.namespace === target.pod.namespace && workload.name === target.workload,
      )?.labels;
    const applied = appliedPolicies(
      config.snapshot,
      service,
      callers.targets.map((target) => ({ namespace: target.pod.namespace, labels: labelsOf(target) })),
    );

    watch.askedAt = this.clock.now();
    this.watches.set(key, watch);
    this.poller.setInterest(key, {
      fqdn,
      callers: callers.targets,
      timing: (callerNamespace, cluster) => timingOf(policyOfCluster(applied, callerNamespace, cluster)),
    });
    await this.pollIfStale(callers.targets);
    this.scheduleNext();

    const now = this.clock.now();
    const callerViews = callers.targets.map((target) =>
      this.callerView(target, fqdn, applied, config.snapshot),
    );
    const failed = callerViews.filter((caller) => caller.error !== null);
    for (const caller of failed.slice(0, 5))
      warnings.push({
        source: 'envoy',
        message: `${caller.pod.namespace}/${caller.pod.name}: ${caller.error}`,
      });
    if (failed.length > 5)
      warnings.push({ source: 'envoy', message: `${failed.length - 5} more callers failed` });

    const pods = podResilience(this.servicePods(config.snapshot, service, applied), callerViews);
    const states = callers.targets.map((target) => this.poller.caller(target.pod));
    const missing = this.missingStats(callers.targets);
    const statsEnabled = callers.targets.length > 0 && missing.length === 0;
    const [history, overflow] = await Promise.all([
      this.history(fqdn, windowSeconds, telemetry.source, states, config.snapshot, warnings),
      this.overflow(fqdn, windowSeconds, telemetry, states, warnings),
    ]);
    return {
      timestamp: iso(now),
      service: { namespace, name, fqdn, ports: service.ports.map((port) => port.port) },
      windowSeconds,
      summary: summarize(pods, callers.targets.length),
      policies: applied,
      callers: callerViews,
      pods,
      history,
      overflow,
      statsEnabled,
      stats: {
        enabled: statsEnabled,
        missing,
        annotation: { ...OUTLIER_STATS_ANNOTATION },
        advice: statsAdvice(missing),
      },
      polling: {
        intervalMs: this.options.intervalMs,
        callersFrom: callers.from,
        polled: callers.targets.length,
        capped: callers.capped,
        requestsPerRound: callers.targets.reduce((sum, target) => sum + (target.statsEnabled ? 2 : 1), 0),
        lastPollAt: this.poller.lastRoundAt === undefined ? null : iso(this.poller.lastRoundAt),
      },
      warnings,
    };
  }

  /**
   * The pods' ejection state of services drawn on the graph, at the graph's refresh: only
   * services some DestinationRule gives outlier detection (no other can eject), only their callers
   * seen in the graph's own telemetry, at most `budget` caller pods in all (each polled once per
   * round however many services it calls). A service watched this way stays polled like one
   * asked about on the resilience page, so later refreshes read the last round without waiting.
   */
  async graphEjections(
    snapshot: ConfigSnapshot,
    requests: readonly RequestSample[],
    services: readonly ServiceInfo[],
    budget = 100,
  ): Promise<GraphEjections> {
    const planned: { service: ServiceInfo; targets: PollTarget[]; applied: AppliedDestinationRule[] }[] = [];
    const pods = new Set<string>();
    let skipped = 0;
    // One pass over the samples, not one per service.
    const samplesByService = new Map<string, RequestSample[]>();
    for (const sample of requests) {
      const list = samplesByService.get(sample.service.fqdn) ?? [];
      list.push(sample);
      samplesByService.set(sample.service.fqdn, list);
    }
    for (const service of servicesThatMayEject(snapshot.istio, services)) {
      const samples = samplesByService.get(service.fqdn);
      if (!samples) continue;
      if (pods.size >= budget) {
        skipped += 1;
        continue;
      }
      const fromTelemetry = callersFromTelemetry(samples, service.fqdn);
      if (fromTelemetry.length === 0) continue;
      const callers = this.callerTargets(snapshot, service, fromTelemetry, []);
      const labelsOf = (target: PollTarget) =>
        snapshot.workloads.find(
          (workload) => workload.namespace === target.pod.namespace && workload.name === target.workload,
        )?.labels;
      const applied = appliedPolicies(
        snapshot,
        service,
        callers.targets.map((target) => ({ namespace: target.pod.namespace, labels: labelsOf(target) })),
      );
      const ejects = applied.some((rule) =>
        rule.clusters.some((cluster) => cluster.outlierDetection.value !== null),
      );
      if (!ejects || callers.targets.length === 0) continue;
      const added = callers.targets.filter(
        (target) => !pods.has(`${target.pod.namespace}/${target.pod.name}`),
      );
      if (pods.size + added.length > budget) {
        skipped += 1;
        continue;
      }
      for (const target of added) pods.add(`${target.pod.namespace}/${target.pod.name}`);
      planned.push({ service, targets: callers.targets, applied });
    }
    const now = this.clock.now();
    for (const { service, targets, applied } of planned) {
      const key = `graph:${service.namespace}/${service.name}`;
      const watch = this.watches.get(key) ?? { askedAt: 0, callerNamespaces: new Set<string>() };
      watch.askedAt = now;
      this.watches.set(key, watch);
      this.poller.setInterest(key, {
        fqdn: service.fqdn,
        callers: targets,
        timing: (callerNamespace, cluster) => timingOf(policyOfCluster(applied, callerNamespace, cluster)),
      });
    }
    if (planned.length > 0) {
      // The graph waits for a poll only for callers never polled; otherwise it reads the last round
      // (the loop polls every interval while watched) and at most nudges a late one along.
      const targets = planned.flatMap((entry) => entry.targets);
      const unpolled = targets.some((target) => this.poller.caller(target.pod)?.polledAt === undefined);
      const last = this.poller.lastRoundAt;
      if (unpolled) await this.pollIfStale(targets);
      else if (last === undefined || this.clock.now() - last >= 2 * this.options.intervalMs)
        void this.poller
          .poll()
          .catch((error: unknown) => logger.error({ err: error }, 'resilience poll round failed'));
      this.scheduleNext();
    }
    const byService = new Map<string, PodResilience[]>();
    for (const { service, targets, applied } of planned) {
      const views = targets.map((target) => this.callerView(target, service.fqdn, applied, snapshot));
      byService.set(
        `${service.namespace}/${service.name}`,
        podResilience(this.servicePods(snapshot, service, applied), views),
      );
    }
    return { byService, callerPods: pods.size, skipped, requestsPerRound: this.poller.lastRoundRequests };
  }

  private async readTelemetry(
    namespaces: string[],
    windowSeconds: number,
    warnings: ApiWarning[],
  ): Promise<TelemetryRead> {
    let source: TelemetrySource | undefined;
    try {
      source = await this.dependencies.telemetry();
      const snapshot = await source.snapshot({ namespaces: [...new Set(namespaces)], windowSeconds });
      warnings.push(...snapshot.warnings);
      return { source, snapshot };
    } catch (error) {
      if (!(error instanceof AppError)) logger.error({ err: error }, 'telemetry for resilience failed');
      warnings.push({
        source: 'telemetry',
        message: `No traffic data (${messageOf(error)}): callers are guessed from the namespace, UO/UH counts are missing.`,
      });
      return { source, snapshot: undefined };
    }
  }

  /** The caller pods to poll: those of the workloads telemetry names, else the namespace's sidecars. */
  private callerTargets(
    snapshot: ConfigSnapshot,
    service: ServiceInfo,
    fromTelemetry: WorkloadRef[],
    warnings: ApiWarning[],
  ): Callers {
    const running = snapshot.pods.filter((pod) => pod.sidecar && pod.phase === 'Running');
    let from: Callers['from'] = 'telemetry';
    let pods = running.filter((pod) =>
      fromTelemetry.some((caller) => caller.namespace === pod.namespace && caller.workload === pod.workload),
    );
    if (fromTelemetry.length === 0) {
      from = 'namespace';
      pods = running.filter((pod) => pod.namespace === service.namespace && !selects(service, pod));
      warnings.push({
        source: 'resilience',
        message: `No requests to ${service.name} in the window yet: polling the sidecars of namespace ${service.namespace} as possible callers.`,
      });
    }
    if (pods.length === 0) from = 'none';
    const capped = pods.length > this.options.maxCallers;
    if (capped)
      warnings.push({
        source: 'resilience',
        message: `${pods.length} caller pods: only the first ${this.options.maxCallers} are polled.`,
      });
    const statsOf = (pod: PodInfo) =>
      snapshot.workloads.find(
        (workload) => workload.namespace === pod.namespace && workload.name === pod.workload,
      )?.outlierStatsEnabled ?? false;
    return {
      targets: pods.slice(0, this.options.maxCallers).map((pod) => ({
        pod: { namespace: pod.namespace, name: pod.name },
        workload: pod.workload,
        statsEnabled: statsOf(pod),
      })),
      from,
      capped,
    };
  }

  /** Poll now when the last round is older than the interval or missed some of these callers. */
  private async pollIfStale(targets: PollTarget[]): Promise<void> {
    await this.poller.settled();
    const last = this.poller.lastRoundAt;
    const stale = last === undefined || this.clock.now() - last >= this.options.intervalMs;
    const unpolled = targets.some((target) => this.poller.caller(target.pod)?.polledAt === undefined);
    if (stale || unpolled) {
      try {
        await this.poller.poll();
      } catch (error) {
        logger.error({ err: error }, 'resilience poll round failed');
      }
    }
  }

  private scheduleNext(): void {
    if (this.closed || this.cancelTimer || this.watches.size === 0) return;
    this.cancelTimer = this.clock.schedule(this.options.intervalMs, () => {
      this.cancelTimer = undefined;
      void this.loop();
    });
  }

  private async loop(): Promise<void> {
    const now = this.clock.now();
    for (const [key, watch] of this.watches) {
      if (now - watch.askedAt <= this.options.idleMs) continue;
      this.watches.delete(key);
      this.poller.dropInterest(key);
      logger.debug({ service: key }, 'nobody looks at it any more: resilience polling stopped');
    }
    if (this.watches.size === 0) return;
    try {
      await this.poller.poll();
    } catch (error) {
      logger.error({ err: error }, 'resilience poll round failed');
    }
    this.scheduleNext();
  }

  private callerView(
    target: PollTarget,
    fqdn: string,
    applied: AppliedDestinationRule[],
    snapshot: ConfigSnapshot,
  ): CallerView {
    const state = this.poller.caller(target.pod);
    const podsByAddress = new Map(snapshot.pods.map((pod) => [pod.podIP, pod]));
    const clusters: CallerCluster[] = [];
    for (const cluster of state?.clusters ?? []) {
      const parsed = parseIstioClusterName(cluster.name);
      if (parsed?.host !== fqdn) continue;
      const policy = policyOfCluster(applied, target.pod.namespace, cluster.name);
      const timing = timingOf(policy);
      const hosts = cluster.hosts.map((host) => {
        const pod = podsByAddress.get(host.address);
        const track = state?.tracks.get(`${cluster.name}|${host.address}:${host.port ?? ''}`);
        return upstreamHost(
          host,
          pod ? { namespace: pod.namespace, name: pod.name } : null,
          hostEjection(track ? estimateEjection(track, timing) : undefined),
        );
      });
      const ejected = hosts.filter((host) => host.state === 'ejected').length;
      const count = ejectionCount(
        ejected,
        hosts.length,
        policy?.outlierDetection.value?.maxEjectionPercent ?? null,
      );
      clusters.push({
        name: cluster.name,
        port: parsed.port,
        subset: parsed.subset || null,
        circuitBreakers: circuitBreakerLimits(cluster.circuitBreakers),
        hosts,
        ejected,
        total: hosts.length,
        maxEjectionPercent: policy?.outlierDetection.value?.maxEjectionPercent ?? null,
        maxEjectable: count.maxEjectable,
        atEjectionLimit: count.atLimit,
      });
    }
    return {
      pod: target.pod,
      workload: target.workload,
      polledAt: state?.polledAt === undefined ? null : iso(state.polledAt),
      error: state?.error ?? (state?.polledAt === undefined ? 'not polled yet' : null),
      statsEnabled: target.statsEnabled,
      clusters,
    };
  }

  private servicePods(snapshot: ConfigSnapshot, service: ServiceInfo, applied: AppliedDestinationRule[]) {
    const own = applied.find((entry) => entry.callerNamespaces.includes(service.namespace)) ?? applied[0];
    const subsets = (own?.clusters ?? []).filter((cluster) => cluster.subset !== null);
    return podsInSubset(snapshot.pods, service, {}).map((pod) => ({
      pod: { namespace: pod.namespace, name: pod.name },
      address: pod.podIP,
      subsets: [
        ...new Set(
          subsets
            .filter((cluster) =>
              Object.entries(cluster.labels).every(([key, value]) => pod.labels[key] === value),
            )
            .map((cluster) => cluster.subset ?? ''),
        ),
      ],
    }));
  }

  private missingStats(targets: PollTarget[]): WorkloadRef[] {
    const missing = new Map<string, WorkloadRef>();
    for (const target of targets) {
      if (target.statsEnabled) continue;
      missing.set(`${target.pod.namespace}/${target.workload}`, {
        namespace: target.pod.namespace,
        workload: target.workload,
      });
    }
    return [...missing.values()];
  }

  private async history(
    fqdn: string,
    windowSeconds: number,
    source: TelemetrySource | undefined,
    states: (CallerState | undefined)[],
    snapshot: ConfigSnapshot,
    warnings: ApiWarning[],
  ): Promise<ResilienceHistory> {
    const now = this.clock.now();
    const since = now - windowSeconds * 1000;
    const polled = states.filter((state): state is CallerState => state !== undefined);
    const podsByAddress = new Map(snapshot.pods.map((pod) => [pod.podIP, pod]));
    const events: EjectionEvent[] = polled.flatMap((state) =>
      state.events
        .filter((event) => parseIstioClusterName(event.cluster)?.host === fqdn)
        .filter((event) => event.end === null || event.end >= since)
        .map((event) => {
          const pod = podsByAddress.get(event.address);
          return {
            caller: state.target.pod,
            cluster: event.cluster,
            address: event.address,
            pod: pod ? { namespace: pod.namespace, name: pod.name } : null,
            start: iso(event.start),
            startAfter: event.startAfter === null ? null : iso(event.startAfter),
            end: event.end === null ? null : iso(event.end),
            ejections: event.ejections,
          };
        }),
    );
    const firstPolls = polled.map((state) => state.firstPolledAt).filter((time) => time !== undefined);
    const pollingSince = firstPolls.length > 0 ? iso(Math.min(...firstPolls)) : null;
    if (source?.name === 'prometheus' && this.dependencies.prometheus) {
      try {
        const series = await ofVisibleCallers(
          await prometheusEjectionSeries(this.dependencies.prometheus(), fqdn, windowSeconds, now),
        );
        if (series.length > 0)
          return {
            source: 'prometheus',
            windowSeconds,
            stepSeconds: stepFor(windowSeconds),
            pollingSince,
            series,
            events,
          };
        warnings.push({
          source: 'prometheus',
          message:
            'Prometheus has no envoy_cluster_outlier_detection_ejections_active for this service: history from polls.',
        });
      } catch (error) {
        warnings.push({
          source: 'prometheus',
          message: `No ejection history from Prometheus: ${messageOf(error)}`,
        });
      }
    }
    if (windowSeconds > this.options.maxHistorySeconds)
      warnings.push({
        source: 'resilience',
        message: `History from polls covers at most the last ${this.options.maxHistorySeconds} s.`,
      });
    const series: EjectionSeries[] = polled.flatMap((state) =>
      [...state.series.entries()]
        .filter(([cluster]) => parseIstioClusterName(cluster)?.host === fqdn)
        .map(([cluster, points]) => ({
          caller: state.target.pod,
          cluster,
          points: points
            .filter((point) => point.time >= since)
            .map((point) => ({ time: iso(point.time), ejected: point.ejected })),
        })),
    );
    return {
      source: 'polls',
      windowSeconds,
      stepSeconds: this.options.intervalMs / 1000,
      pollingSince,
      series,
      events,
    };
  }

  private async overflow(
    fqdn: string,
    windowSeconds: number,
    telemetry: TelemetryRead,
    states: (CallerState | undefined)[],
    warnings: ApiWarning[],
  ): Promise<OverflowView> {
    const now = this.clock.now();
    const window = telemetry.snapshot?.windowSeconds ?? windowSeconds;
    const responses = flaggedResponses(telemetry.snapshot?.requests ?? [], fqdn, window);
    let counters: OverflowCounters[] = [];
    let source: OverflowView['source'] = 'none';
    if (telemetry.source?.name === 'prometheus' && this.dependencies.prometheus) {
      try {
        counters = await ofVisibleCallers(
          await prometheusOverflowCounters(this.dependencies.prometheus(), fqdn, windowSeconds, now),
        );
        if (counters.length > 0) source = 'prometheus';
      } catch (error) {
        warnings.push({
          source: 'prometheus',
          message: `No overflow counters from Prometheus: ${messageOf(error)}`,
        });
      }
    }
    if (source === 'none') {
      counters = this.polledCounters(fqdn, windowSeconds, states);
      if (counters.length > 0) source = 'polls';
    }
    const sum = (pick: (entry: OverflowCounters) => number) =>
      counters.reduce((total, entry) => total + pick(entry), 0);
    const flagged = (flag: 'UO' | 'UH') =>
      responses.filter((entry) => entry.flag === flag).reduce((total, entry) => total + entry.count, 0);
    return {
      windowSeconds,
      source,
      counters,
      responses,
      totals: {
        pendingOverflow: sum((entry) => entry.pendingOverflow),
        connectionOverflow: sum((entry) => entry.connectionOverflow),
        uo: flagged('UO'),
        uh: flagged('UH'),
      },
    };
  }

  /** Increases over the window from the stats polls (the sample before the window included). */
  private polledCounters(
    fqdn: string,
    windowSeconds: number,
    states: (CallerState | undefined)[],
  ): OverflowCounters[] {
    const since = this.clock.now() - windowSeconds * 1000;
    const found: OverflowCounters[] = [];
    for (const state of states) {
      if (!state || state.counters.length === 0) continue;
      const firstInside = state.counters.findIndex((entry) => entry.time >= since);
      const samples = firstInside < 0 ? [] : state.counters.slice(Math.max(0, firstInside - 1));
      const clusters = new Set(samples.flatMap((entry) => [...entry.values.keys()]));
      for (const cluster of clusters) {
        if (parseIstioClusterName(cluster)?.host !== fqdn) continue;
        // A cluster missing from a sample had no counters yet: 0.
        const values = (field: 'pendingOverflow' | 'connectionOverflow' | 'ejectionsEnforced') =>
          samples.map((entry) => entry.values.get(cluster)?.[field] ?? 0);
        found.push({
          caller: state.target.pod,
          cluster,
          pendingOverflow: counterIncrease(values('pendingOverflow')),
          connectionOverflow: counterIncrease(values('connectionOverflow')),
          ejectionsEnforced: counterIncrease(values('ejectionsEnforced')),
        });
      }
    }
    return found;
  }
}

/**
 * One monitor per identity (server/auth/caller.ts): its polling port-forwards with that identity's
 * credentials, so in token and header modes one user's access never serves another. The
 * kubeconfig identity's monitor lives as long as the process; callers' ones stop when idle.
 */
let shared: ResilienceMonitor | undefined;
const callerMonitors = new IdentityPool<ResilienceMonitor>({
  dispose: (monitor) => monitor.close(),
  max: 16,
});

function newMonitor(): ResilienceMonitor {
  return new ResilienceMonitor({
    admin: getEnvoyAdmin(),
    snapshot: (namespaces) => getConfigSnapshot(namespaces),
    telemetry: getTelemetrySource,
    prometheus: resilienceMetricsFromConfig,
  });
}

/** The monitor of the request's identity, shared by the resilience page and the graph. */
export function defaultMonitor(): ResilienceMonitor {
  const identity = currentIdentityKey();
  if (identity !== KUBECONFIG_IDENTITY) return callerMonitors.get(identity, newMonitor);
  shared ??= newMonitor();
  return shared;
}

/** The resilience view of one service, from the process's monitor. */
export function getResilience(query: ResilienceQuery): Promise<ResilienceResponse> {
  return defaultMonitor().get(query);
}
