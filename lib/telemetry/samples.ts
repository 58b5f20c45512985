/**
 * Rate series (from Prometheus answers or from rates of direct scrapes) into the samples of a
 * TelemetrySnapshot: the chosen report of each request (see reporters.ts), summed over the
 * labels each sample type keeps — what `sum by (...)` does in PromQL, so Prometheus' already
 * grouped answers pass through unchanged and per-pod direct series add up the same way.
 */

import type { GraphType } from '../types/graph';
import type {
  DestinationService,
  DurationSample,
  EdgeKey,
  RequestSample,
  ThroughputSample,
  TrafficPeer,
} from '../types/telemetry';
import { hopLabel } from './promql';
import { isChosenReport, type ReportScope } from './reporters';
import {
  groupedEdgeKey,
  groupingFields,
  groupKeyOf,
  type Percentile,
  type ResponseTimeHop,
  type ResponseTimeSample,
} from './response-times';
import { type RateSeries, unknown } from './series';

export interface SnapshotSamples {
  requests: RequestSample[];
  durations: DurationSample[];
  throughput: ThroughputSample[];
}

function label(labels: Record<string, string>, name: string): string {
  const value = labels[name];
  return value === undefined || value === '' ? unknown : value;
}

type Peer = EdgeKey['source'];

function peer(labels: Record<string, string>, side: 'source' | 'destination'): Peer {
  return {
    namespace: label(labels, `${side}_workload_namespace`),
    workload: label(labels, `${side}_workload`),
    // Istio's canonical service and revision: the app/version labels, defaulted by Istio when absent.
    app: label(labels, `${side}_canonical_service`),
    version: label(labels, `${side}_canonical_revision`),
  };
}

function service(labels: Record<string, string>): DestinationService {
  return {
    fqdn: label(labels, 'destination_service'),
    name: label(labels, 'destination_service_name'),
    namespace: label(labels, 'destination_service_namespace'),
  };
}

export function edgeKeyOf(labels: Record<string, string>): EdgeKey {
  return {
    source: peer(labels, 'source'),
    destination: peer(labels, 'destination'),
    service: service(labels),
  };
}

/** One string per telemetry edge (its eleven labels), for maps keyed by edge. */
export function edgeIdOf(edge: EdgeKey): string {
  const { source, destination, service: target } = edge;
  return [
    source.namespace,
    source.workload,
    source.app,
    source.version,
    destination.namespace,
    destination.workload,
    destination.app,
    destination.version,
    target.fqdn,
    target.name,
    target.namespace,
  ].join('\u0000');
}

/** `edgeIdOf(edgeKeyOf(labels))` without building the key: the ~20 buckets of an edge share it. */
function edgeIdOfLabels(labels: Record<string, string>): string {
  return [
    label(labels, 'source_workload_namespace'),
    label(labels, 'source_workload'),
    label(labels, 'source_canonical_service'),
    label(labels, 'source_canonical_revision'),
    label(labels, 'destination_workload_namespace'),
    label(labels, 'destination_workload'),
    label(labels, 'destination_canonical_service'),
    label(labels, 'destination_canonical_revision'),
    label(labels, 'destination_service'),
    label(labels, 'destination_service_name'),
    label(labels, 'destination_service_namespace'),
  ].join('\u0000');
}

function securityPolicy(value: string | undefined): RequestSample['securityPolicy'] {
  return value === 'mutual_tls' || value === 'none' ? value : 'unknown';
}

function requestSample(labels: Record<string, string>, rate: number): RequestSample {
  const edge = edgeKeyOf(labels);
  const source: TrafficPeer = { ...edge.source, principal: label(labels, 'source_principal') };
  const destination: TrafficPeer = { ...edge.destination, principal: label(labels, 'destination_principal') };
  return {
    reporter: labels.reporter === 'destination' ? 'destination' : 'source',
    source,
    destination,
    service: edge.service,
    protocol: labels.request_protocol === 'grpc' ? 'grpc' : 'http',
    responseCode: labels.response_code || '0',
    grpcStatus: labels.grpc_response_status ?? '',
    responseFlags: labels.response_flags || '-',
    securityPolicy: securityPolicy(labels.connection_security_policy),
    rate,
  };
}

function requestId(sample: RequestSample): string {
  return [
    sample.reporter,
    edgeIdOf(sample),
    sample.source.principal,
    sample.destination.principal,
    sample.protocol,
    sample.responseCode,
    sample.grpcStatus,
    sample.responseFlags,
    sample.securityPolicy,
  ].join('\u0000');
}

/** `le` as a number of milliseconds; `+Inf` is Infinity. */
function bound(le: string | undefined): number | undefined {
  if (le === undefined) return undefined;
  if (le === '+Inf') return Number.POSITIVE_INFINITY;
  const value = Number(le);
  return Number.isFinite(value) ? value : undefined;
}

function throughputProtocol(series: RateSeries): ThroughputSample['protocol'] {
  if (series.metric === 'tcpSentBytes' || series.metric === 'tcpReceivedBytes') return 'tcp';
  return series.labels.request_protocol === 'grpc' ? 'grpc' : 'http';
}

/**
 * Which direction a byte counter measures, seen from the caller: request bodies and Istio's
 * TCP `received` (client to server) are sent by the source; response bodies and TCP `sent`
 * (server to client) come back to it.
 */
function direction(series: RateSeries): 'sent' | 'received' | undefined {
  switch (series.metric) {
    case 'requestBytes':
    case 'tcpReceivedBytes':
      return 'sent';
    case 'responseBytes':
    case 'tcpSentBytes':
      return 'received';
    default:
      return undefined;
  }
}

/** The snapshot's samples from rate series: chosen reports only, summed per sample key. */
export function buildSamples(series: Iterable<RateSeries>, scope: ReportScope): SnapshotSamples {
  const chosen: RateSeries[] = [];
  for (const entry of series) if (isChosenReport(entry.labels, scope)) chosen.push(entry);
  return aggregateSamples(chosen);
}

/** Samples from rate series as they are (no reporter choice), summed per sample key. */
export function aggregateSamples(series: Iterable<RateSeries>): SnapshotSamples {
  const requests = new Map<string, RequestSample>();
  const histograms = new Map<string, { edge: EdgeKey; buckets: Map<number, number> }>();
  const throughput = new Map<string, ThroughputSample>();

  for (const entry of series) {
    if (!Number.isFinite(entry.rate)) continue;
    if (entry.metric === 'requests') {
      const sample = requestSample(entry.labels, entry.rate);
      const id = requestId(sample);
      const existing = requests.get(id);
      if (existing) existing.rate += entry.rate;
      else requests.set(id, sample);
      continue;
    }
    if (entry.metric === 'durationBucket') {
      const le = bound(entry.labels.le);
      if (le === undefined) continue;
      const id = edgeIdOfLabels(entry.labels);
      let histogram = histograms.get(id);
      if (!histogram) {
        histogram = { edge: edgeKeyOf(entry.labels), buckets: new Map() };
        histograms.set(id, histogram);
      }
      histogram.buckets.set(le, (histogram.buckets.get(le) ?? 0) + entry.rate);
      continue;
    }
    const side = direction(entry);
    if (!side) continue;
    const edge = edgeKeyOf(entry.labels);
    const protocol = throughputProtocol(entry);
    const id = `${edgeIdOf(edge)}\u0000${protocol}`;
    let sample = throughput.get(id);
    if (!sample) {
      sample = { ...edge, protocol, sentBytesPerSecond: 0, receivedBytesPerSecond: 0 };
      throughput.set(id, sample);
    }
    if (side === 'sent') sample.sentBytesPerSecond += entry.rate;
    else sample.receivedBytesPerSecond += entry.rate;
  }

  const durations: DurationSample[] = [];
  for (const { edge, buckets } of histograms.values()) {
    // An edge idle over the window has all-zero buckets: no latency to speak of.
    if (!((buckets.get(Number.POSITIVE_INFINITY) ?? 0) > 0)) continue;
    const sorted = [...buckets.entries()].sort(([a], [b]) => a - b).map(([le, rate]) => ({ le, rate }));
    durations.push({ ...edge, buckets: sorted });
  }
  return {
    // `> 0`, as the PromQL has it: an idle label set is not a request.
    requests: [...requests.values()].filter((sample) => sample.rate > 0),
    durations,
    throughput: [...throughput.values()].filter(
      (sample) => sample.sentBytesPerSecond > 0 || sample.receivedBytesPerSecond > 0,
    ),
  };
}

/** One answer element of a percentile query: a group's labels (and its hop) and the value. */
export interface PercentileSeries {
  labels: Record<string, string>;
  /** milliseconds */
  value: number;
}

const hops = new Set<string>(['caller', 'callee', 'edge']);

/**
 * Percentile samples from the three percentile answers (promql.ts `responseTimeQueries`, which
 * selects the chosen reports): one per hop and group, kept when all three percentiles are finite.
 */
export function responseTimeSamples(
  answers: Record<Percentile, readonly PercentileSeries[]>,
  graphType: GraphType,
): ResponseTimeSample[] {
  const byGroup = new Map<
    string,
    { key: EdgeKey; hop: ResponseTimeHop; group: string; values: Partial<Record<Percentile, number>> }
  >();
  for (const percentile of ['p50', 'p95', 'p99'] as const) {
    for (const { labels, value } of answers[percentile]) {
      const hop = labels[hopLabel] ?? 'edge';
      if (!Number.isFinite(value) || !hops.has(hop)) continue;
      const fields = groupingFields(graphType, hop as ResponseTimeHop);
      const key = groupedEdgeKey(fields, (name) => label(labels, name));
      const group = groupKeyOf(fields, key);
      const id = `${hop}\u0000${group}`;
      let entry = byGroup.get(id);
      if (!entry) {
        entry = { key, hop: hop as ResponseTimeHop, group, values: {} };
        byGroup.set(id, entry);
      }
      entry.values[percentile] = value;
    }
  }
  const samples: ResponseTimeSample[] = [];
  for (const { key, hop, group, values } of byGroup.values()) {
    const { p50, p95, p99 } = values;
    if (p50 !== undefined && p95 !== undefined && p99 !== undefined)
      samples.push({ ...key, hop, group, p50, p95, p99 });
  }
  return samples;
}
