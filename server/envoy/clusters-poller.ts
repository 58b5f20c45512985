import 'server-only';
import { type EnvoyCluster, parseClusters, parseIstioClusterName } from '@/lib/envoy/clusters';
import { parseTextFormat } from '@/lib/prometheus/text-format';
import { type HostTrack, type OutlierTiming, observeHost } from '@/lib/resilience/ejections';
import type { PodRef } from '@/lib/types/resilience';
import { AppError } from '../errors';
import { logger } from '../logger';
import type { Clock } from '../telemetry/clock';
import type { EnvoyAdmin } from './admin-client';

/**
 * Rounds of `/clusters` polls of the callers of the services someone is looking at, and what they
 * leave in memory: per caller pod, the service's clusters as last seen, one track per upstream
 * host (lib/resilience/ejections.ts), the ejections seen, a series of ejected-host counts and,
 * where the proxy emits them, its outlier and overflow counters. A caller is polled once per
 * round however many watched services it calls; each poll is one `GET /clusters?format=json`,
 * plus one `GET /stats/prometheus?filter=…` where the caller's stats are enabled.
 */

/** A caller pod to poll, and what to poll it for. */
export interface PollTarget {
  pod: PodRef;
  workload: string;
  /** its proxy emits envoy_cluster_outlier_detection_* and the overflow counters */
  statsEnabled: boolean;
}

/** One watched service: its callers, and the outlier timing each caller's clusters run with. */
export interface PollInterest {
  fqdn: string;
  callers: PollTarget[];
  timing(callerNamespace: string, cluster: string): OutlierTiming | undefined;
}

/** Envoy's per-cluster counters from the stats poll. */
export interface ClusterCounters {
  ejectionsActive: number;
  ejectionsEnforced: number;
  pendingOverflow: number;
  connectionOverflow: number;
}

export interface PolledEjection {
  cluster: string;
  address: string;
  port: number | undefined;
  start: number;
  startAfter: number | null;
  end: number | null;
  ejections: number;
}

export interface CallerState {
  target: PollTarget;
  firstPolledAt: number | undefined;
  polledAt: number | undefined;
  error: string | undefined;
  /** the watched services' clusters in its Envoy, as last seen */
  clusters: EnvoyCluster[];
  /** `CLUSTER|ADDRESS:PORT` → track */
  tracks: Map<string, HostTrack>;
  events: PolledEjection[];
  /** per cluster: hosts ejected at each poll */
  series: Map<string, { time: number; ejected: number }[]>;
  /** counters at each stats poll, per cluster */
  counters: { time: number; values: Map<string, ClusterCounters> }[];
}

const statsFilter =
  'outlier_detection\\.ejections_(active|enforced_total)|upstream_rq_pending_overflow|upstream_cx_overflow';

const counterNames: Record<string, keyof ClusterCounters> = {
  envoy_cluster_outlier_detection_ejections_active: 'ejectionsActive',
  envoy_cluster_outlier_detection_ejections_enforced_total: 'ejectionsEnforced',
  envoy_cluster_upstream_rq_pending_overflow: 'pendingOverflow',
  envoy_cluster_upstream_cx_overflow: 'connectionOverflow',
};

/** The per-cluster counters of an Envoy's Prometheus stats, read from the lines that have them. */
export function clusterCounters(text: string): Map<string, ClusterCounters> {
  const lines = text.split('\n').filter((line) => line.startsWith('envoy_cluster_'));
  const found = new Map<string, ClusterCounters>();
  for (const sample of parseTextFormat(lines.join('\n'))) {
    const field = counterNames[sample.name];
    const cluster = sample.labels.cluster_name;
    if (!field || cluster === undefined) continue;
    const entry = found.get(cluster) ?? {
      ejectionsActive: 0,
      ejectionsEnforced: 0,
      pendingOverflow: 0,
      connectionOverflow: 0,
    };
    entry[field] += sample.value;
    found.set(cluster, entry);
  }
  return found;
}

function podKey(pod: PodRef): string {
  return `${pod.namespace}/${pod.name}`;
}

function messageOf(error: unknown): string {
  return error instanceof AppError || error instanceof Error ? error.message : String(error);
}

export interface PollerOptions {
  clock: Clock;
  /** how long series, events and counters are kept, in milliseconds */
  historyMs: number;
}

export class ClustersPoller {
  private readonly interests = new Map<string, PollInterest>();
  private readonly callers = new Map<string, CallerState>();
  private round: Promise<void> | undefined;
  /** when the last round began */
  lastRoundAt: number | undefined;
  /** requests sent in the last round */
  lastRoundRequests = 0;

  constructor(
    private readonly admin: EnvoyAdmin,
    private readonly options: PollerOptions,
  ) {}

  /** Watch a service's callers (replacing what was watched under `key`). */
  setInterest(key: string, interest: PollInterest): void {
    this.interests.set(key, interest);
  }

  dropInterest(key: string): void {
    this.interests.delete(key);
    this.forgetUnwatched();
  }

  get watching(): number {
    return this.interests.size;
  }

  caller(pod: PodRef): CallerState | undefined {
    return this.callers.get(podKey(pod));
  }

  /** Resolves when no round is in flight. */
  async settled(): Promise<void> {
    while (this.round) await this.round;
  }

  /** One round over every watched service's callers; a round in flight is joined, not doubled. */
  poll(): Promise<void> {
    this.round ??= this.pollRound().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  private forgetUnwatched(): void {
    const wanted = new Set<string>();
    for (const interest of this.interests.values())
      for (const caller of interest.callers) wanted.add(podKey(caller.pod));
    for (const key of this.callers.keys()) if (!wanted.has(key)) this.callers.delete(key);
  }

  private async pollRound(): Promise<void> {
    this.lastRoundAt = this.options.clock.now();
    this.forgetUnwatched();
    /** per caller pod: its target and the watched services it calls */
    const plan = new Map<string, { target: PollTarget; interests: PollInterest[] }>();
    for (const interest of this.interests.values()) {
      for (const target of interest.callers) {
        const key = podKey(target.pod);
        const entry = plan.get(key) ?? { target, interests: [] };
        entry.target = { ...target, statsEnabled: entry.target.statsEnabled || target.statsEnabled };
        entry.interests.push(interest);
        plan.set(key, entry);
      }
    }
    let requests = 0;
    // The admin client bounds how many run at once.
    await Promise.all(
      [...plan.values()].map(async ({ target, interests }) => {
        requests += target.statsEnabled ? 2 : 1;
        await this.pollCaller(target, interests);
      }),
    );
    this.lastRoundRequests = requests;
  }

  private state(target: PollTarget): CallerState {
    const key = podKey(target.pod);
    let state = this.callers.get(key);
    if (!state) {
      state = {
        target,
        firstPolledAt: undefined,
        polledAt: undefined,
        error: undefined,
        clusters: [],
        tracks: new Map(),
        events: [],
        series: new Map(),
        counters: [],
      };
      this.callers.set(key, state);
    }
    state.target = target;
    return state;
  }

  private async pollCaller(target: PollTarget, interests: PollInterest[]): Promise<void> {
    const state = this.state(target);
    const { namespace, name } = target.pod;
    const [clusters, stats] = await Promise.allSettled([
      this.admin.get({ namespace, pod: name, path: '/clusters', query: { format: 'json' } }),
      target.statsEnabled
        ? this.admin.get({ namespace, pod: name, path: '/stats/prometheus', query: { filter: statsFilter } })
        : Promise.resolve(undefined),
    ]);
    // Observations carry the time their answer arrived, not the time the round began.
    const now = this.options.clock.now();
    if (clusters.status === 'rejected') {
      state.error = messageOf(clusters.reason);
      logger.debug({ err: clusters.reason, pod: podKey(target.pod) }, 'Envoy /clusters poll failed');
      return;
    }
    const fqdns = new Set(interests.map((interest) => interest.fqdn));
    const watched = parseClusters(clusters.value.body).filter((cluster) => {
      const parsed = parseIstioClusterName(cluster.name);
      return parsed?.direction === 'outbound' && fqdns.has(parsed.host);
    });
    let counters: Map<string, ClusterCounters> | undefined;
    if (stats.status === 'fulfilled' && stats.value) {
      try {
        counters = clusterCounters(stats.value.body);
      } catch (error) {
        logger.debug({ err: error, pod: podKey(target.pod) }, 'Envoy stats unreadable');
      }
    }
    state.error = stats.status === 'rejected' ? `stats: ${messageOf(stats.reason)}` : undefined;
    state.firstPolledAt ??= now;
    state.polledAt = now;
    state.clusters = watched;
    if (counters) state.counters.push({ time: now, values: counters });
    const timingOf = (cluster: string) => {
      const host = parseIstioClusterName(cluster)?.host;
      return interests.find((interest) => interest.fqdn === host)?.timing(namespace, cluster);
    };
    this.track(state, watched, now, timingOf, counters);
    this.prune(state, now);
  }

  private track(
    state: CallerState,
    clusters: EnvoyCluster[],
    now: number,
    timingOf: (cluster: string) => OutlierTiming | undefined,
    counters: Map<string, ClusterCounters> | undefined,
  ): void {
    const seen = new Set<string>();
    for (const cluster of clusters) {
      const timing = timingOf(cluster.name);
      // A proxy that emits the stats but has none for this cluster never used it: nothing ejected yet.
      const neverEjected = counters ? (counters.get(cluster.name)?.ejectionsEnforced ?? 0) === 0 : undefined;
      let ejected = 0;
      for (const host of cluster.hosts) {
        const key = `${cluster.name}|${host.address}:${host.port ?? ''}`;
        seen.add(key);
        const isEjected = host.healthFlags.includes('failed_outlier_check');
        if (isEjected) ejected += 1;
        const { track, change } = observeHost(state.tracks.get(key), {
          ejected: isEjected,
          now,
          timing,
          neverEjected,
        });
        state.tracks.set(key, track);
        if (change === 'ejected' && track.period) {
          state.events.push({
            cluster: cluster.name,
            address: host.address,
            port: host.port,
            start: track.period.start,
            startAfter: track.period.startAfter,
            end: null,
            ejections: 1,
          });
        } else if (change === 're-ejected' || change === 'returned') {
          const open = this.openEvent(state, cluster.name, host.address, host.port);
          if (open && change === 'returned') open.end = now;
          if (open && change === 're-ejected') open.ejections += 1;
        }
      }
      const points = state.series.get(cluster.name) ?? [];
      points.push({ time: now, ejected });
      state.series.set(cluster.name, points);
    }
    // Hosts gone from service discovery end their ejections.
    for (const key of state.tracks.keys()) {
      if (seen.has(key)) continue;
      state.tracks.delete(key);
      const [cluster, address] = splitTrackKey(key);
      for (const event of state.events)
        if (
          event.end === null &&
          event.cluster === cluster &&
          `${event.address}:${event.port ?? ''}` === address
        )
          event.end = now;
    }
  }

  private openEvent(
    state: CallerState,
    cluster: string,
    address: string,
    port: number | undefined,
  ): PolledEjection | undefined {
    return state.events.find(
      (event) =>
        event.end === null && event.cluster === cluster && event.address === address && event.port === port,
    );
  }

  private prune(state: CallerState, now: number): void {
    const since = now - this.options.historyMs;
    for (const [cluster, points] of state.series) {
      const kept = points.filter((point) => point.time >= since);
      if (kept.length === 0) state.series.delete(cluster);
      else state.series.set(cluster, kept);
    }
    state.events = state.events.filter((event) => event.end === null || event.end >= since);
    // Keep one sample from before the window, so increases over the whole window can be taken.
    const firstInside = state.counters.findIndex((entry) => entry.time >= since);
    if (firstInside > 1) state.counters.splice(0, firstInside - 1);
  }
}

/** `outbound|9080|v3|reviews.default.svc.cluster.local|10.0.0.7:9080` → cluster and `address:port`. */
function splitTrackKey(key: string): [string, string] {
  const last = key.lastIndexOf('|');
  return [key.slice(0, last), key.slice(last + 1)];
}
