/**
 * Step (c), an edge's request numbers from its samples: requests per second, response codes and
 * Envoy response flags (in rps; `-` is no flag and is left out), error rate (5xx, no response,
 * gRPC errors), the share over mutual TLS of what the destination reported, and the principals
 * seen; then each edge's share of its source's outbound traffic of the same protocol (requests
 * for HTTP and gRPC, bytes for TCP), so a service's split to its versions sums to 100.
 */
import type { EdgeProtocol, WorkingEdge, WorkingGraph } from './model';
import { isError } from './responses';

function addTo(map: Record<string, number>, key: string, rate: number): void {
  map[key] = (map[key] ?? 0) + rate;
}

/** Far beyond any HTTP status: an index that makes an object keep its integer keys in a table. */
const sparseIndex = 2 ** 31;

/**
 * An empty record for response codes. Codes are integer-like keys (`200`, `503`), which V8 keeps in
 * an array indexed by the number: `{}` then `['503']` allocates 700+ slots (several kB per edge,
 * ~6 MB per graph of 2,000 edges) that JSON.stringify then walks slot by slot (5 times slower).
 * One index far out of range switches the object to a small hash table for its integer keys,
 * and stays so once that index is deleted. The record reads and serialises the same.
 */
export function codeRecord(): Record<string, number> {
  const record: Record<number, number> = {};
  record[sparseIndex] = 0;
  delete record[sparseIndex];
  return record as Record<string, number>;
}

function requestNumbers(edge: WorkingEdge): void {
  const { requests, security } = edge.records;
  let rps = 0;
  let errors = 0;
  const responseCodes = codeRecord();
  const responseFlags: Record<string, number> = {};
  // An edge has a principal or two each side: lists, not sets.
  const sourcePrincipals: string[] = [];
  const destinationPrincipals: string[] = [];
  for (const sample of requests) {
    rps += sample.rate;
    if (isError(sample)) errors += sample.rate;
    addTo(responseCodes, sample.responseCode, sample.rate);
    if (sample.responseFlags !== '-' && sample.responseFlags !== '')
      addTo(responseFlags, sample.responseFlags, sample.rate);
    addKnown(sourcePrincipals, sample.source.principal);
    addKnown(destinationPrincipals, sample.destination.principal);
  }
  let secured = 0;
  let mutual = 0;
  for (const record of security) {
    secured += record.rate;
    if (record.policy === 'mutual_tls') mutual += record.rate;
    addKnown(sourcePrincipals, record.sourcePrincipal);
    addKnown(destinationPrincipals, record.destinationPrincipal);
  }
  edge.rps = rps;
  edge.errorRate = rps > 0 ? errors / rps : 0;
  edge.mtlsPercent = secured > 0 ? (mutual / secured) * 100 : 0;
  edge.responseCodes = responseCodes;
  edge.responseFlags = responseFlags;
  edge.sourcePrincipals = sourcePrincipals.length > 1 ? sourcePrincipals.sort() : sourcePrincipals;
  edge.destinationPrincipals =
    destinationPrincipals.length > 1 ? destinationPrincipals.sort() : destinationPrincipals;
}

/** Adds a principal once; empty and `unknown` are no principal. */
function addKnown(principals: string[], principal: string): void {
  if (principal !== '' && principal !== 'unknown' && !principals.includes(principal))
    principals.push(principal);
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
  // Outbound volume per source node and protocol.
  const outbound = new Map<string, Record<EdgeProtocol, number>>();
  for (const edge of graph.edges) {
    requestNumbers(edge);
    const amount = volume(edge);
    let totals = outbound.get(edge.source);
    if (!totals) {
      totals = { http: 0, grpc: 0, tcp: 0 };
      outbound.set(edge.source, totals);
    }
    totals[edge.protocol] += amount;
  }
  for (const edge of graph.edges) {
    const total = outbound.get(edge.source)?.[edge.protocol] ?? 0;
    edge.percentOfSource = total > 0 ? (volume(edge) / total) * 100 : 0;
  }
  return graph;
}
