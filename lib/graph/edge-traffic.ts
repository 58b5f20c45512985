/**
 * Step (c), an edge's request numbers from its samples: requests per second, response codes and
 * Envoy response flags (in rps; `-` is no flag and is left out), error rate (5xx, no response,
 * gRPC errors), the share over mutual TLS of what the destination reported, and the principals
 * seen; then each edge's share of its source's outbound traffic of the same protocol (requests
 * for HTTP and gRPC, bytes for TCP), so a service's split to its versions sums to 100.
 */
import type { WorkingEdge, WorkingGraph } from './model';
import { isError } from './responses';

function addTo(map: Record<string, number>, key: string, rate: number): void {
  map[key] = (map[key] ?? 0) + rate;
}

function requestNumbers(edge: WorkingEdge): WorkingEdge {
  const { requests, security } = edge.records;
  let rps = 0;
  let errors = 0;
  const responseCodes: Record<string, number> = {};
  const responseFlags: Record<string, number> = {};
  const sourcePrincipals = new Set<string>();
  const destinationPrincipals = new Set<string>();
  for (const sample of requests) {
    rps += sample.rate;
    if (isError(sample)) errors += sample.rate;
    addTo(responseCodes, sample.responseCode, sample.rate);
    if (sample.responseFlags !== '-' && sample.responseFlags !== '')
      addTo(responseFlags, sample.responseFlags, sample.rate);
    sourcePrincipals.add(sample.source.principal);
    destinationPrincipals.add(sample.destination.principal);
  }
  let secured = 0;
  let mutual = 0;
  for (const record of security) {
    secured += record.rate;
    if (record.policy === 'mutual_tls') mutual += record.rate;
    sourcePrincipals.add(record.sourcePrincipal);
    destinationPrincipals.add(record.destinationPrincipal);
  }
  return {
    ...edge,
    rps,
    errorRate: rps > 0 ? errors / rps : 0,
    mtlsPercent: secured > 0 ? (mutual / secured) * 100 : 0,
    responseCodes,
    responseFlags,
    sourcePrincipals: known(sourcePrincipals),
    destinationPrincipals: known(destinationPrincipals),
  };
}

function known(principals: Set<string>): string[] {
  return [...principals].filter((value) => value !== '' && value !== 'unknown').sort();
}

/** What an edge contributes to its source's outbound total: requests, or bytes for TCP. */
function volume(edge: WorkingEdge): number {
  if (edge.protocol !== 'tcp') return edge.rps;
  return edge.records.throughput.reduce(
    (sum, sample) => sum + sample.sentBytesPerSecond + sample.receivedBytesPerSecond,
    0,
  );
}

export function edgeTraffic(graph: WorkingGraph): WorkingGraph {
  const edges = graph.edges.map(requestNumbers);
  const outbound = new Map<string, number>();
  for (const edge of edges) {
    const key = `${edge.source}|${edge.protocol}`;
    outbound.set(key, (outbound.get(key) ?? 0) + volume(edge));
  }
  return {
    ...graph,
    edges: edges.map((edge) => {
      const total = outbound.get(`${edge.source}|${edge.protocol}`) ?? 0;
      return { ...edge, percentOfSource: total > 0 ? (volume(edge) / total) * 100 : 0 };
    }),
  };
}
