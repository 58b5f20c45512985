/**
 * What traffic did, from telemetry: the mutual-TLS share of requests each workload received and
 * of each edge, as the destination sidecars reported them (the client side cannot know what the
 * server enforced and reports `unknown`), and connection failures the callers' sidecars reported.
 */

import type { ObservedMtls } from '../types/security';
import type { RequestSample } from '../types/telemetry';

const UNKNOWN = 'unknown';

export const workloadKey = (namespace: string, workload: string) => `${namespace}/${workload}`;

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

/** Per destination workload (`namespace/workload`): requests received, over mTLS, and plaintext callers. */
export function observedByWorkload(requests: readonly RequestSample[]): Map<string, ObservedMtls> {
  const totals = new Map<string, { rps: number; mtls: number; plaintext: Map<string, number> }>();
  for (const sample of requests) {
    if (sample.reporter !== 'destination' || sample.destination.workload === UNKNOWN) continue;
    // A request whose security policy the sidecar did not record says nothing either way.
    if (sample.securityPolicy === 'unknown') continue;
    const key = workloadKey(sample.destination.namespace, sample.destination.workload);
    const entry = totals.get(key) ?? { rps: 0, mtls: 0, plaintext: new Map<string, number>() };
    entry.rps += sample.rate;
    if (sample.securityPolicy === 'mutual_tls') entry.mtls += sample.rate;
    else {
      const source = workloadKey(sample.source.namespace, sample.source.workload);
      entry.plaintext.set(source, (entry.plaintext.get(source) ?? 0) + sample.rate);
    }
    totals.set(key, entry);
  }
  const result = new Map<string, ObservedMtls>();
  for (const [key, entry] of totals) {
    result.set(key, {
      rps: entry.rps,
      mtlsRps: entry.mtls,
      mtlsPercent: percent(entry.mtls, entry.rps),
      plaintextSources: [...entry.plaintext]
        .filter(([, rps]) => rps > 0)
        .map(([source, rps]) => {
          const [namespace = UNKNOWN, workload = UNKNOWN] = source.split('/');
          return { namespace, workload, rps };
        })
        .sort((a, b) => b.rps - a.rps),
    });
  }
  return result;
}

export interface ObservedEdge {
  source: { namespace: string; workload: string };
  destination: { namespace: string; workload: string };
  service: string;
  rps: number;
  mtlsRps: number;
  mtlsPercent: number;
}

/** Destination-reported requests per (caller, destination workload, service). */
export function observedEdges(requests: readonly RequestSample[]): ObservedEdge[] {
  const edges = new Map<string, ObservedEdge>();
  for (const sample of requests) {
    if (sample.reporter !== 'destination' || sample.destination.workload === UNKNOWN) continue;
    // A request whose security policy the sidecar did not record says nothing either way.
    if (sample.securityPolicy === 'unknown') continue;
    const key = JSON.stringify([
      sample.source.namespace,
      sample.source.workload,
      sample.destination.namespace,
      sample.destination.workload,
      sample.service.fqdn,
    ]);
    const edge = edges.get(key) ?? {
      source: { namespace: sample.source.namespace, workload: sample.source.workload },
      destination: { namespace: sample.destination.namespace, workload: sample.destination.workload },
      service: sample.service.fqdn,
      rps: 0,
      mtlsRps: 0,
      mtlsPercent: 0,
    };
    edge.rps += sample.rate;
    if (sample.securityPolicy === 'mutual_tls') edge.mtlsRps += sample.rate;
    edges.set(key, edge);
  }
  return [...edges.values()]
    .filter((edge) => edge.rps > 0)
    .map((edge) => ({ ...edge, mtlsPercent: percent(edge.mtlsRps, edge.rps) }));
}

const CONNECTION_FLAGS = ['UC', 'UF', 'URX'];

/**
 * Source-reported requests that never reached a server: no destination workload (no peer answered
 * the metadata exchange) and a connection failure flag (`UC` termination, `UF` failure, `URX` when
 * retries ran out on them).
 */
export function failedConnections(
  requests: readonly RequestSample[],
): { source: { namespace: string; workload: string }; service: string; rps: number }[] {
  const failed = new Map<
    string,
    { source: { namespace: string; workload: string }; service: string; rps: number }
  >();
  for (const sample of requests) {
    if (sample.reporter !== 'source' || sample.rate <= 0) continue;
    if (sample.destination.workload !== UNKNOWN) continue;
    if (!sample.responseFlags.split(',').some((flag) => CONNECTION_FLAGS.includes(flag))) continue;
    const key = JSON.stringify([sample.source.namespace, sample.source.workload, sample.service.fqdn]);
    const entry = failed.get(key) ?? {
      source: { namespace: sample.source.namespace, workload: sample.source.workload },
      service: sample.service.fqdn,
      rps: 0,
    };
    entry.rps += sample.rate;
    failed.set(key, entry);
  }
  return [...failed.values()];
}
