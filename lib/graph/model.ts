/**
 * The working graph the pipeline steps pass along: the response's nodes and edges, each edge still
 * carrying the telemetry samples behind it so later steps (rates, response time, throughput,
 * health) compute from raw samples, and merges (the service graph) stay exact.
 *
 * One build owns its working graph: trafficGraph makes every node and edge afresh, and the steps
 * after it fill in their fields in place rather than copying thousands of nodes and edges per step
 * (at 1,000 services the copies were a third of the build). Nothing outside the build sees the
 * objects before `finish` hands them out.
 */

import type { ResponseTimeSample } from '../telemetry/response-times';
import type { Badge, GraphEdge, GraphNode, GraphType, NodeKind } from '../types/graph';
import type { DurationSample, EdgeKey, RequestSample, ThroughputSample } from '../types/telemetry';

/** Who called, as an edge key names it (the principal lives on the samples). */
export type Peer = EdgeKey['source'];

/** The mutual-TLS view of an edge: destination-reported requests grouped by security policy. */
export interface SecurityRecord extends EdgeKey {
  policy: RequestSample['securityPolicy'];
  sourcePrincipal: string;
  destinationPrincipal: string;
  /** requests per second */
  rate: number;
}

/** The samples behind the graph, or behind one edge of it. */
export interface TrafficRecords {
  /** the reporter chosen for rates, one per request label set */
  requests: RequestSample[];
  security: SecurityRecord[];
  durations: DurationSample[];
  /** percentiles per telemetry edge, from sources that compute them instead of histograms */
  responseTimes: ResponseTimeSample[];
  throughput: ThroughputSample[];
}

export interface WorkingEdge extends GraphEdge {
  records: TrafficRecords;
  /** telemetry edges whose percentiles this edge merges: exact only from their buckets */
  responseTimeParts?: EdgeKey[];
}

export interface WorkingGraph {
  graphType: GraphType;
  nodes: GraphNode[];
  edges: WorkingEdge[];
}

/** What names a node: everything but what later steps compute. */
export interface NodeIdentity {
  id: string;
  kind: NodeKind;
  namespace: string;
  name: string;
  app?: string;
  version?: string;
  workload?: string;
  service?: string;
}

export type EdgeProtocol = GraphEdge['protocol'];

export const unknownName = 'unknown';

/** `unknown`, empty or missing: Istio's word for a peer it could not identify. */
export function isUnknown(value: string | undefined): boolean {
  return value === undefined || value === '' || value === unknownName;
}

export function emptyRecords(): TrafficRecords {
  return { requests: [], security: [], durations: [], responseTimes: [], throughput: [] };
}

export function mergeRecords(into: TrafficRecords, from: TrafficRecords): TrafficRecords {
  return {
    requests: [...into.requests, ...from.requests],
    security: [...into.security, ...from.security],
    durations: [...into.durations, ...from.durations],
    responseTimes: [...into.responseTimes, ...from.responseTimes],
    throughput: [...into.throughput, ...from.throughput],
  };
}

export function newNode(identity: NodeIdentity, options: { isIdle?: boolean } = {}): GraphNode {
  return {
    ...identity,
    ...(options.isIdle ? { isIdle: true } : {}),
    badges: [],
    health: { status: 'na', errorRate: 0 },
    traffic: { inboundRps: 0, outboundRps: 0, inboundErrorRate: 0, outboundErrorRate: 0 },
  };
}

export function edgeId(source: string, target: string, protocol: EdgeProtocol): string {
  return `${source}->${target}:${protocol}`;
}

export function newEdge(
  source: string,
  target: string,
  protocol: EdgeProtocol,
  options: { isIdle?: boolean; records?: TrafficRecords } = {},
): WorkingEdge {
  return {
    id: edgeId(source, target, protocol),
    source,
    target,
    protocol,
    rps: 0,
    percentOfSource: 0,
    errorRate: 0,
    responseTime: null,
    throughput: null,
    mtlsPercent: 0,
    responseCodes: {},
    responseFlags: {},
    sourcePrincipals: [],
    destinationPrincipals: [],
    ...(options.isIdle ? { isIdle: true } : {}),
    health: 'na',
    records: options.records ?? emptyRecords(),
  };
}

/** The order badges are listed in, so the same configuration always gives the same array. */
export const badgeOrder: Badge[] = [
  'gateway',
  'serviceEntry',
  'missingSidecar',
  'virtualService',
  'trafficShifting',
  'faultInjection',
  'requestTimeout',
  'retries',
  'mirroring',
  'circuitBreaker',
];

/** Nodes and edges by id, and edges by endpoint, for steps that walk the graph. */
export interface GraphIndex {
  nodes: Map<string, GraphNode>;
  outgoing: Map<string, WorkingEdge[]>;
  incoming: Map<string, WorkingEdge[]>;
}

/** Edges by endpoint, per edge list: the steps after the last that changes the edges share one. */
const edgeIndexes = new WeakMap<
  readonly WorkingEdge[],
  { length: number; outgoing: Map<string, WorkingEdge[]>; incoming: Map<string, WorkingEdge[]> }
>();

/**
 * Nodes and edges by id. Edges by endpoint are worked out once per edge list (nodeTraffic and
 * applyHealth walk the same one), and again if the list grew since; edges' ends never change.
 */
export function indexGraph(graph: { nodes: GraphNode[]; edges: WorkingEdge[] }): GraphIndex {
  const nodes = new Map<string, GraphNode>();
  for (const node of graph.nodes) nodes.set(node.id, node);
  const known = edgeIndexes.get(graph.edges);
  if (known && known.length === graph.edges.length)
    return { nodes, outgoing: known.outgoing, incoming: known.incoming };
  const outgoing = new Map<string, WorkingEdge[]>();
  const incoming = new Map<string, WorkingEdge[]>();
  for (const edge of graph.edges) {
    const out = outgoing.get(edge.source);
    if (out) out.push(edge);
    else outgoing.set(edge.source, [edge]);
    const into = incoming.get(edge.target);
    if (into) into.push(edge);
    else incoming.set(edge.target, [edge]);
  }
  edgeIndexes.set(graph.edges, { length: graph.edges.length, outgoing, incoming });
  return { nodes, outgoing, incoming };
}
