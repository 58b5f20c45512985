/**
 * Step (a): the samples the graph is built from. The telemetry layer already keeps one report per
 * request (lib/telemetry/reporters.ts: the destination's where its sidecar reported, the source's
 * otherwise — callers' views of requests that never reached a sidecar, fault aborts, `UH`, `UO`).
 * This step keeps that choice and only guards it: a source report of an edge whose destination
 * also reported is dropped, so a snapshot carrying both reporters is not counted twice.
 *
 * mTLS and principals come from the samples whose security policy is known — destination reports:
 * the client side cannot know what the server enforced (Istio reports `unknown` there). Samples
 * with no rate, and samples touching none of the requested namespaces, are dropped.
 */
import type { GraphTelemetrySnapshot } from '../telemetry/response-times';
import type { EdgeKey, RequestSample } from '../types/telemetry';
import { emptyRecords, isUnknown, type SecurityRecord, type TrafficRecords } from './model';

/** Whether an edge touches the requested namespaces (no namespaces: every edge does). */
export function inNamespaces(key: EdgeKey, namespaces: ReadonlySet<string>): boolean {
  return (
    namespaces.size === 0 ||
    namespaces.has(key.source.namespace) ||
    namespaces.has(key.destination.namespace) ||
    namespaces.has(key.service.namespace)
  );
}

function edgeOf(sample: RequestSample): string {
  const { source, destination, service } = sample;
  return `${source.namespace}/${source.workload}|${service.fqdn}|${destination.namespace}/${destination.workload}`;
}

/** A request sample's peer without its principal (listed: a rest spread per sample is slow). */
function peerOf(peer: RequestSample['source']): SecurityRecord['source'] {
  return { namespace: peer.namespace, workload: peer.workload, app: peer.app, version: peer.version };
}

function toSecurity(sample: RequestSample): SecurityRecord {
  return {
    source: peerOf(sample.source),
    destination: peerOf(sample.destination),
    service: sample.service,
    policy: sample.securityPolicy,
    sourcePrincipal: sample.source.principal,
    destinationPrincipal: sample.destination.principal,
    rate: sample.rate,
  };
}

export function trafficRecords(
  telemetry: GraphTelemetrySnapshot | null,
  namespaces: readonly string[],
): TrafficRecords {
  if (!telemetry) return emptyRecords();
  const scope = new Set(namespaces);
  const wanted = (sample: EdgeKey) => inNamespaces(sample, scope);
  const samples = telemetry.requests.filter((sample) => sample.rate > 0 && wanted(sample));

  // Only source reports of requests that reached a sidecar can double a destination report.
  const doubtful = samples.filter(
    (sample) => sample.reporter !== 'destination' && !isUnknown(sample.destination.workload),
  );
  const reportedByDestination = new Set(
    doubtful.length === 0 ? [] : samples.filter((sample) => sample.reporter === 'destination').map(edgeOf),
  );
  const requests =
    doubtful.length === 0
      ? samples
      : samples.filter(
          (sample) =>
            sample.reporter === 'destination' ||
            isUnknown(sample.destination.workload) ||
            !reportedByDestination.has(edgeOf(sample)),
        );

  return {
    requests,
    security: requests.filter((sample) => sample.securityPolicy !== 'unknown').map(toSecurity),
    durations: telemetry.durations.filter(
      (sample) => wanted(sample) && sample.buckets.some((bucket) => bucket.rate > 0),
    ),
    responseTimes: (telemetry.responseTimes ?? []).filter(wanted),
    throughput: telemetry.throughput.filter(
      (sample) => wanted(sample) && sample.sentBytesPerSecond + sample.receivedBytesPerSecond > 0,
    ),
  };
}
