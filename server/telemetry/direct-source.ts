import 'server-only';
import { parseTextFormat } from '@/lib/prometheus/text-format';
import { CounterWindow } from '@/lib/telemetry/counters';
import { type CounterSeries, readCounters, toRateSeries } from '@/lib/telemetry/exposition';
import { buildSamples } from '@/lib/telemetry/samples';
import type { RateSeries } from '@/lib/telemetry/series';
import type { TelemetryQuery, TelemetrySnapshot, TelemetryWarning } from '@/lib/types/telemetry';
import { fromKubeError } from '../errors';
import { logger } from '../logger';
import { type Clock, systemClock } from './clock';
import { listProxyPods, type ProxyPod, scrapeProxy, type TelemetryCluster } from './kube-calls';
import { checkedQuery } from './query';
import type { TelemetrySource, TelemetrySourceDescription } from './source';

export interface DirectTelemetryOptions {
  /** milliseconds between scrape rounds (default 5 s) */
  intervalMs?: number;
  /** stop scraping a namespace nobody asked about for this long, in milliseconds (default 5 min) */
  idleMs?: number;
  /** most proxies scraped per round (default 200); past it the mesh is too large for this source */
  maxPods?: number;
  /** scrapes in flight at once (default 8) */
  concurrency?: number;
  /** longest window kept, in seconds (default 600) */
  maxWindowSeconds?: number;
  /** deadline of one scrape or pod list, in milliseconds (default 5 s) */
  requestTimeoutMs?: number;
  /** how long a namespace's pod list is reused, in milliseconds (default 30 s) */
  podListTtlMs?: number;
  clock?: Clock;
}

const defaults = {
  intervalMs: 5_000,
  idleMs: 5 * 60_000,
  maxPods: 200,
  concurrency: 8,
  maxWindowSeconds: 600,
  requestTimeoutMs: 5_000,
  podListTtlMs: 30_000,
};

/** Failed scrapes named one by one in a snapshot's warnings; the rest are counted. */
const namedFailures = 10;
const warningSource = 'sidecars';

interface PodState {
  pod: ProxyPod;
  counters: CounterWindow;
  series: Map<string, CounterSeries>;
  /** why the last scrape failed; undefined after a success */
  error: string | undefined;
}

interface PodList {
  pods: ProxyPod[];
  listedAt: number;
  error: string | undefined;
}

interface RoundOutcome {
  time: number;
  /** proxies in the watched namespaces, before the limit */
  found: number;
  scraped: number;
  failed: number;
}

function podKey(pod: ProxyPod): string {
  return `${pod.namespace}/${pod.name}`;
}

async function forEachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Telemetry without Prometheus: every `intervalMs` it scrapes the Istio proxies of the namespaces
 * asked about recently through the API server's pod proxy (`pods/NAME:15020/proxy/stats/prometheus`,
 * needs `get pods/proxy`), keeps each proxy's counters for the largest window asked (CounterWindow),
 * and answers snapshots with rates over that history, reporters chosen as for Prometheus.
 *
 * Limits, by design (configure Prometheus beyond them):
 * - at most `maxPods` proxies (default 200) are scraped, the first by namespace then pod name; a
 *   snapshot past the limit says "mesh too large";
 * - windows longer than `maxWindowSeconds` (default 10 min) are cut to it; history exists only
 *   since scraping began (the first snapshot of a namespace has no rates yet and says so);
 * - only the asked namespaces' proxies are read, so requests into them are destination-reported
 *   and requests out of them to other namespaces are source-reported (their destinations' proxies
 *   are not scraped); failed requests from outside into them are not seen;
 * - a pod that disappears takes its history with it;
 * - memory: ~8 bytes per series per kept scrape (a Bookinfo proxy has ~100 series: a 10-minute
 *   window at 5 s is ~100 KB per proxy, 20 MB at the pod limit), plus the label sets once.
 *
 * Scraping stops when nobody has asked about a namespace for `idleMs`, and its history is dropped.
 */
export class DirectTelemetrySource implements TelemetrySource {
  readonly name = 'direct' as const;
  private readonly options: typeof defaults;
  private readonly clock: Clock;
  /** namespace -> when it was last asked about and the largest window asked (seconds) */
  private readonly watched = new Map<string, { askedAt: number; windowSeconds: number }>();
  private readonly pods = new Map<string, PodState>();
  private readonly podLists = new Map<string, PodList>();
  private round: Promise<void> | undefined;
  private cancelTimer: (() => void) | undefined;
  private closed = false;
  private lastRound: RoundOutcome | undefined;
  private lastError: string | undefined;
  private lastSuccess: number | undefined;
  /** when the first scrape of the current history happened */
  private collectingSince: number | undefined;

  constructor(
    private readonly cluster: TelemetryCluster,
    options: DirectTelemetryOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.options = {
      intervalMs: options.intervalMs ?? defaults.intervalMs,
      idleMs: options.idleMs ?? defaults.idleMs,
      maxPods: options.maxPods ?? defaults.maxPods,
      concurrency: Math.max(1, options.concurrency ?? defaults.concurrency),
      maxWindowSeconds: options.maxWindowSeconds ?? defaults.maxWindowSeconds,
      requestTimeoutMs: options.requestTimeoutMs ?? defaults.requestTimeoutMs,
      podListTtlMs: options.podListTtlMs ?? defaults.podListTtlMs,
    };
  }

  describe(): TelemetrySourceDescription {
    return {
      name: this.name,
      target: 'sidecars via the Kubernetes API',
      healthy: this.lastError === undefined,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.lastSuccess !== undefined ? { lastSuccess: new Date(this.lastSuccess).toISOString() } : {}),
    };
  }

  /** Whether the background loop is scraping. */
  get scraping(): boolean {
    return this.cancelTimer !== undefined || this.round !== undefined;
  }

  /** Resolves when no scrape round is in flight. */
  async settled(): Promise<void> {
    while (this.round) await this.round;
  }

  async snapshot(query: TelemetryQuery): Promise<TelemetrySnapshot> {
    const { namespaces, windowSeconds: asked } = checkedQuery(query);
    const windowSeconds = Math.min(asked, this.options.maxWindowSeconds);
    const now = this.clock.now();
    let unseen = !this.scraping;
    for (const namespace of namespaces) {
      const previous = this.watched.get(namespace);
      if (!previous) unseen = true;
      const fresh = previous && now - previous.askedAt <= this.options.idleMs;
      this.watched.set(namespace, {
        askedAt: now,
        windowSeconds: fresh ? Math.max(previous.windowSeconds, windowSeconds) : windowSeconds,
      });
    }
    // A namespace not scraped yet gets its first scrape now, so the answer can at least say so;
    // a round already in flight started without it.
    if (unseen && namespaces.length > 0) {
      await this.settled();
      await this.runRound();
    }
    this.scheduleNext();
    return this.build(namespaces, windowSeconds, asked);
  }

  /**
   * Each proxy's kept counter history in `namespace` over the last `windowSeconds`, for time series
   * (server/telemetry/series.ts). Asks like a snapshot does, so the namespace is scraped and enough
   * history is kept; the snapshot's warnings say how far back the history goes.
   */
  async history(
    namespace: string,
    windowSeconds: number,
  ): Promise<{
    pods: {
      pod: ProxyPod;
      history: ReturnType<CounterWindow['history']>;
      series: ReadonlyMap<string, CounterSeries>;
    }[];
    warnings: TelemetryWarning[];
    intervalMs: number;
    collectingSince: number | undefined;
  }> {
    const snapshot = await this.snapshot({ namespaces: [namespace], windowSeconds });
    const since =
      this.clock.now() -
      Math.min(windowSeconds, this.options.maxWindowSeconds) * 1000 -
      this.options.intervalMs;
    const pods = [...this.pods.values()]
      .filter((state) => state.pod.namespace === namespace)
      .map((state) => ({ pod: state.pod, history: state.counters.history(since), series: state.series }));
    return {
      pods,
      warnings: snapshot.warnings,
      intervalMs: this.options.intervalMs,
      collectingSince: this.collectingSince,
    };
  }

  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.forget();
  }

  private forget(): void {
    this.pods.clear();
    this.podLists.clear();
    this.watched.clear();
    this.collectingSince = undefined;
  }

  private scheduleNext(): void {
    if (this.closed || this.cancelTimer || this.watched.size === 0) return;
    this.cancelTimer = this.clock.schedule(this.options.intervalMs, () => {
      this.cancelTimer = undefined;
      void this.runRound().then(() => this.scheduleNext());
    });
  }

  private runRound(): Promise<void> {
    this.round ??= this.scrapeRound()
      .catch((error: unknown) => {
        this.lastError = error instanceof Error ? error.message : String(error);
        logger.error({ err: error }, 'direct telemetry scrape round failed');
      })
      .finally(() => {
        this.round = undefined;
      });
    return this.round;
  }

  /** The largest window asked about among watched namespaces, in seconds. */
  private largestWindow(): number {
    let largest = 0;
    for (const { windowSeconds } of this.watched.values()) largest = Math.max(largest, windowSeconds);
    return largest;
  }

  private async scrapeRound(): Promise<void> {
    const started = this.clock.now();
    for (const [namespace, { askedAt }] of this.watched) {
      if (started - askedAt > this.options.idleMs) {
        this.watched.delete(namespace);
        this.podLists.delete(namespace);
      }
    }
    if (this.watched.size === 0) {
      logger.debug('direct telemetry idle: scraping stopped');
      this.forget();
      return;
    }
    const namespaces = [...this.watched.keys()].sort();
    const found: ProxyPod[] = [];
    for (const namespace of namespaces) found.push(...(await this.podList(namespace, started)).pods);
    const targets = found.slice(0, this.options.maxPods);
    const keep = new Set(targets.map(podKey));
    for (const key of this.pods.keys()) if (!keep.has(key)) this.pods.delete(key);

    // Enough scrapes for the largest window, plus one before it and one of slack.
    const maxScrapes = Math.ceil((this.largestWindow() * 1000) / this.options.intervalMs) + 2;
    let failed = 0;
    await forEachLimited(targets, this.options.concurrency, async (pod) => {
      let state = this.pods.get(podKey(pod));
      if (!state) {
        state = { pod, counters: new CounterWindow(maxScrapes), series: new Map(), error: undefined };
        this.pods.set(podKey(pod), state);
      }
      state.counters.setMaxScrapes(maxScrapes);
      try {
        const text = await scrapeProxy(this.cluster, pod, this.options.requestTimeoutMs);
        const scraped = readCounters(parseTextFormat(text));
        for (const [key, series] of scraped.series) if (!state.series.has(key)) state.series.set(key, series);
        state.counters.add(this.clock.now(), scraped.values);
        state.error = undefined;
      } catch (error) {
        failed += 1;
        state.error = fromKubeError(error, this.cluster.server).message;
        logger.debug({ err: error, pod: podKey(pod) }, 'sidecar scrape failed');
      }
    });
    this.collectingSince ??= started;
    this.lastRound = { time: started, found: found.length, scraped: targets.length - failed, failed };
    const listErrors = namespaces.filter((namespace) => this.podLists.get(namespace)?.error !== undefined);
    if (failed > 0 && failed === targets.length) this.lastError = `all ${failed} sidecar scrapes failed`;
    else if (listErrors.length > 0) this.lastError = `cannot list pods in ${listErrors.join(', ')}`;
    else {
      this.lastError = undefined;
      this.lastSuccess = this.clock.now();
    }
  }

  private async podList(namespace: string, now: number): Promise<PodList> {
    const cached = this.podLists.get(namespace);
    if (cached && cached.error === undefined && now - cached.listedAt < this.options.podListTtlMs)
      return cached;
    let list: PodList;
    try {
      list = {
        pods: await listProxyPods(this.cluster, namespace, this.options.requestTimeoutMs),
        listedAt: now,
        error: undefined,
      };
    } catch (error) {
      // Keep scraping what was listed before; say why the list is stale.
      list = {
        pods: cached?.pods ?? [],
        listedAt: cached?.listedAt ?? now,
        error: fromKubeError(error, this.cluster.server).message,
      };
    }
    this.podLists.set(namespace, list);
    return list;
  }

  private build(namespaces: string[], windowSeconds: number, asked: number): TelemetrySnapshot {
    const now = this.clock.now();
    const asking = new Set(namespaces);
    const warnings: TelemetryWarning[] = [];
    const warn = (message: string) => warnings.push({ source: warningSource, message });
    if (asked > windowSeconds)
      warn(
        `direct telemetry keeps at most ${windowSeconds} s of history; rates are over the last ${windowSeconds} s`,
      );
    const round = this.lastRound;
    if (round && round.found > this.options.maxPods) {
      warn(
        `mesh too large for direct telemetry; configure Prometheus: ${round.found} proxies in the watched namespaces, only the first ${this.options.maxPods} are scraped`,
      );
    }
    for (const namespace of namespaces) {
      const error = this.podLists.get(namespace)?.error;
      if (error !== undefined) warn(`cannot list pods in ${namespace}: ${error}`);
    }

    const since = now - windowSeconds * 1000 - this.options.intervalMs / 2;
    const series: RateSeries[] = [];
    const failures: string[] = [];
    let withRates = 0;
    let awaitingSecond = 0;
    let span = 0;
    for (const state of this.pods.values()) {
      if (!asking.has(state.pod.namespace)) continue;
      if (state.error !== undefined) failures.push(`${podKey(state.pod)}: ${state.error}`);
      const rates = state.counters.rates(since);
      if (!rates) {
        if (state.counters.size > 0) awaitingSecond += 1;
        continue;
      }
      withRates += 1;
      span = Math.max(span, rates.spanSeconds);
      series.push(...toRateSeries(rates.rates, state.series));
    }
    for (const failure of failures.slice(0, namedFailures)) warn(`cannot scrape ${failure}`);
    if (failures.length > namedFailures)
      warn(`cannot scrape ${failures.length - namedFailures} more proxies`);

    const intervalSeconds = this.options.intervalMs / 1000;
    const started = this.collectingSince !== undefined ? new Date(this.collectingSince).toISOString() : 'now';
    if (withRates === 0 && awaitingSecond > 0) {
      warn(
        `collecting samples: sidecars were first scraped at ${started}; rates need a second scrape, due within ${intervalSeconds} s`,
      );
    } else if (withRates > 0 && span < windowSeconds - intervalSeconds) {
      warn(
        `rates cover the last ${Math.round(span)} s of the ${windowSeconds} s asked for: direct telemetry began collecting at ${started}`,
      );
    }
    const samples = buildSamples(series, { namespaces: asking, destinationReports: (ns) => asking.has(ns) });
    const partial = withRates > 0 && span < windowSeconds - intervalSeconds;
    return {
      source: 'direct',
      timestamp: new Date(now).toISOString(),
      windowSeconds: partial ? Math.round(span) : windowSeconds,
      ...samples,
      warnings,
    };
  }
}
