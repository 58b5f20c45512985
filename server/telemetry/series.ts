import 'server-only';
import type { RateSeries } from '@/lib/telemetry/series';
import type { ApiWarning } from '@/lib/types/api';
import type { TrafficPoint, TrafficSeriesResponse } from '@/lib/types/workloads';
import {
  codesOf,
  defaultStep,
  matchesSelector,
  pointOf,
  ratesFromHistory,
  type SeriesSelector,
  selectorLabels,
  stepEnds,
} from '@/lib/workloads/series';
import { leftOutWarning, mayReadTelemetry } from '../auth/namespace-access';
import { getConfig } from '../config';
import { getConfigSnapshot } from '../config-snapshot';
import { AppError } from '../errors';
import { getCluster } from '../kube/cluster';
import { logger } from '../logger';
import { DirectTelemetrySource } from './direct-source';
import { prometheusRangeClient, queryRangeSeries, type RangeClient } from './series-prometheus';
import { getTelemetrySource, type TelemetrySource } from './source';

/**
 * Traffic over time for the charts: Prometheus range queries (`query_range`) when telemetry comes
 * from Prometheus, else the direct source's in-memory window of sidecar scrapes (at most its
 * `maxWindowSeconds`, and only since scraping of the namespace began).
 */
export interface SeriesRequest extends SeriesSelector {
  /** seconds back from now */
  durationSeconds: number;
  /** seconds per point; default about 60 points */
  stepSeconds?: number;
}

/** The direct source scrapes every 5 s: finer steps would be empty. */
const directMinStep = 10;
const prometheusMinStep = 5;

function emptyReason(
  points: readonly TrafficPoint[],
  source: TelemetrySource['name'],
  noHistory: string,
): TrafficSeriesResponse['empty'] {
  if (points.length === 0) return { reason: 'no-history', message: noHistory };
  if (points.every((point) => point.rps === 0 && point.requestBytesPerSecond === 0))
    return {
      reason: 'no-traffic',
      message:
        source === 'prometheus'
          ? 'Prometheus has the series but no requests in this window: nothing called it.'
          : 'No requests in this window: nothing called it while the sidecars were scraped.',
    };
  return undefined;
}

async function directSeries(
  source: DirectTelemetrySource,
  request: SeriesRequest,
  step: number,
  nowMs: number,
): Promise<{ points: TrafficPoint[]; warnings: ApiWarning[]; noHistory: string }> {
  const { pods, warnings, collectingSince } = await source.history(
    request.namespace,
    request.durationSeconds,
  );
  const wanted = selectorLabels(request);
  const ends = stepEnds(nowMs, request.durationSeconds, step);
  const perPoint = new Map<number, RateSeries[]>();
  for (const { history, series } of pods) {
    // Only the keys of the selector's series are differenced.
    const keys: { index: number; entry: { metric: RateSeries['metric']; labels: Record<string, string> } }[] =
      [];
    history.keys.forEach((key, index) => {
      const entry = series.get(key);
      if (entry && matchesSelector(entry.labels, wanted)) keys.push({ index, entry });
    });
    if (keys.length === 0) continue;
    const steps = ratesFromHistory(
      history.scrapes.map((scrape) => scrape.time),
      (scrape, key) => history.scrapes[scrape]?.values[keys[key]?.index ?? -1] ?? 0,
      keys.length,
      ends,
      step * 1000,
    );
    for (const { time, rates } of steps) {
      const list = perPoint.get(time) ?? [];
      keys.forEach(({ entry }, index) => {
        list.push({ metric: entry.metric, labels: entry.labels, rate: rates[index] ?? 0 });
      });
      perPoint.set(time, list);
    }
  }
  // A step with scrapes but no matching series had no traffic: zero, not a gap.
  const covered = (time: number) => collectingSince !== undefined && time - step * 1000 >= collectingSince;
  const points = ends
    .filter((time) => perPoint.has(time) || covered(time))
    .map((time) => pointOf(time, perPoint.get(time) ?? [], request));
  const since = collectingSince !== undefined ? new Date(collectingSince).toISOString() : 'now';
  return {
    points,
    warnings,
    noHistory: `No history yet: without Prometheus the dashboard scrapes the sidecars itself and began collecting for ${request.namespace} at ${since}; points appear after ${step} s.`,
  };
}

export interface SeriesOptions {
  /** the telemetry source (default: the process's) */
  source?: () => Promise<TelemetrySource>;
  /** how range queries reach Prometheus (default: the configured URL, else the in-cluster one) */
  rangeClient?: () => RangeClient;
  nowMs?: number;
  /**
   * Whether the workload's pods run the sidecar (undefined: unknown); default: the configuration
   * snapshot's answer. Without a sidecar Istio reports nothing as that workload.
   */
  hasSidecar?: (namespace: string, name: string) => Promise<boolean | undefined>;
}

async function snapshotSidecar(namespace: string, name: string): Promise<boolean | undefined> {
  try {
    const { snapshot } = await getConfigSnapshot([namespace]);
    return snapshot.workloads.find((workload) => workload.namespace === namespace && workload.name === name)
      ?.sidecar;
  } catch (error) {
    logger.debug({ err: error }, 'no configuration snapshot for the sidecar check');
    return undefined;
  }
}

/** An empty answer says so when the workload has no sidecar: that is why there is nothing. */
async function withSidecarReason(
  answer: TrafficSeriesResponse,
  request: SeriesRequest,
  options: SeriesOptions,
): Promise<TrafficSeriesResponse> {
  if (
    request.kind !== 'workload' ||
    (answer.empty?.reason !== 'no-traffic' && answer.empty?.reason !== 'no-history')
  )
    return answer;
  const sidecar = await (options.hasSidecar ?? snapshotSidecar)(request.namespace, request.name);
  if (sidecar !== false) return answer;
  return {
    ...answer,
    empty: {
      reason: 'no-sidecar',
      message: `${request.name} runs without the istio-proxy sidecar, so Istio reports no telemetry as it; its callers' proxies report their requests to it (see the callers' outbound charts).`,
    },
  };
}

/** Token and header modes: no series for a namespace the caller may not list pods in. */
function refusedSeries(request: SeriesRequest): TrafficSeriesResponse {
  const message = `You may not list pods in ${request.namespace}, so its traffic is not shown.`;
  return {
    namespace: request.namespace,
    kind: request.kind,
    name: request.name,
    direction: request.direction,
    duration: request.durationSeconds,
    step: request.stepSeconds ?? defaultStep(request.durationSeconds, prometheusMinStep),
    points: [],
    codes: [],
    source: null,
    empty: { reason: 'no-telemetry', message },
    warnings: leftOutWarning(1),
  };
}

/** `GET /api/metrics/NS/workloads|services/NAME`: the selector's traffic over the window. */
export async function getTrafficSeries(
  request: SeriesRequest,
  options: SeriesOptions = {},
): Promise<TrafficSeriesResponse> {
  if (!(await mayReadTelemetry(request.namespace))) return refusedSeries(request);
  return withSidecarReason(await seriesOf(request, options), request, options);
}

async function seriesOf(request: SeriesRequest, options: SeriesOptions): Promise<TrafficSeriesResponse> {
  const nowMs = options.nowMs ?? Date.now();
  const base = {
    namespace: request.namespace,
    kind: request.kind,
    name: request.name,
    direction: request.direction,
    duration: request.durationSeconds,
  };
  let source: TelemetrySource;
  try {
    source = await (options.source ?? getTelemetrySource)();
  } catch (error) {
    const message = error instanceof AppError ? error.message : 'the telemetry source failed';
    return {
      ...base,
      step: request.stepSeconds ?? defaultStep(request.durationSeconds, prometheusMinStep),
      points: [],
      codes: [],
      source: null,
      empty: { reason: 'no-telemetry', message: `No telemetry source: ${message}` },
      warnings: [{ source: 'telemetry', message }],
    };
  }
  if (source instanceof DirectTelemetrySource) {
    const max = 600;
    const durationSeconds = Math.min(request.durationSeconds, max);
    const step = Math.max(request.stepSeconds ?? 0, defaultStep(durationSeconds, directMinStep));
    const result = await directSeries(source, { ...request, durationSeconds }, step, nowMs);
    const warnings = [...result.warnings];
    if (durationSeconds < request.durationSeconds)
      warnings.push({
        source: 'telemetry',
        message: `Without Prometheus only the last ${max} s are kept; configure Prometheus for longer windows.`,
      });
    return {
      ...base,
      duration: durationSeconds,
      step,
      points: result.points,
      codes: codesOf(result.points),
      source: 'direct',
      ...(emptyReason(result.points, 'direct', result.noHistory)
        ? { empty: emptyReason(result.points, 'direct', result.noHistory) }
        : {}),
      warnings,
    };
  }
  const step = Math.max(request.stepSeconds ?? 0, defaultStep(request.durationSeconds, prometheusMinStep));
  try {
    const client = options.rangeClient?.() ?? prometheusRangeClient(getCluster(), getConfig().prometheusUrl);
    const { points, warnings } = await queryRangeSeries(client, request, step, nowMs);
    const empty = emptyReason(
      points,
      'prometheus',
      'Prometheus has no series for this in the window: no traffic reached it, or Prometheus has no history yet (istio_* series are scraped from the sidecars).',
    );
    return {
      ...base,
      step,
      points,
      codes: codesOf(points),
      source: 'prometheus',
      ...(empty ? { empty } : {}),
      warnings,
    };
  } catch (error) {
    if (!(error instanceof AppError)) logger.error({ err: error }, 'range query failed');
    const message =
      error instanceof AppError ? error.message : 'the range query failed (see the dashboard logs)';
    return {
      ...base,
      step,
      points: [],
      codes: [],
      source: 'prometheus',
      empty: { reason: 'no-telemetry', message: `Prometheus did not answer: ${message}` },
      warnings: [{ source: 'prometheus', message }],
    };
  }
}
