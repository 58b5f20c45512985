/**
 * Step (b), nodes and edges from traffic. Each sample becomes a path of one or two edges: with
 * service-node injection (Kiali's default) caller -> service -> destination workload/app, so a
 * canary split shows as one service node fanning out to its versions; without it, caller ->
 * destination. A request that never reached a workload (fault abort, no healthy upstream) ends
 * at the service node. A destination without a sidecar reports nothing and is `unknown` in the
 * caller's telemetry; when the service has exactly one workload and it has no sidecar, the
 * traffic is attributed to that workload.
 *
 * Every edge keeps the samples behind it; later steps compute its numbers from them.
 */
import type { GraphNode, GraphType } from '../types/graph';
import type { EdgeKey } from '../types/telemetry';
import type { ConfigIndex } from './config-index';
import {
  type EdgeProtocol,
  edgeId,
  isUnknown,
  type NodeIdentity,
  newEdge,
  newNode,
  type TrafficRecords,
  type WorkingEdge,
  type WorkingGraph,
} from './model';
import { peerIdentity, serviceIdentity, workloadIdentity } from './node-identity';

export interface TrafficGraphInput {
  graphType: GraphType;
  records: TrafficRecords;
  index: ConfigIndex;
  injectServiceNodes: boolean;
}

type Hop = [NodeIdentity, NodeIdentity];

/** Where an edge key's samples go: its hops, and the edges along them per protocol. */
interface Path {
  hops: Hop[];
  edges: Map<EdgeProtocol | 'existing', WorkingEdge[]>;
}

/** Whether two edge keys (with the same service, caller and callee workload) name the same path. */
function sameEdge(a: EdgeKey, b: EdgeKey): boolean {
  return (
    a.source.namespace === b.source.namespace &&
    a.source.app === b.source.app &&
    a.source.version === b.source.version &&
    a.service.namespace === b.service.namespace &&
    a.destination.namespace === b.destination.namespace &&
    a.destination.app === b.destination.app &&
    a.destination.version === b.destination.version
  );
}

/** Protocols a request-level record (mTLS, durations) may belong to, in order of preference. */
const requestProtocols: EdgeProtocol[] = ['http', 'grpc'];

export function trafficGraph(input: TrafficGraphInput): WorkingGraph {
  const { graphType, records, index, injectServiceNodes } = input;
  const peerType: GraphType = graphType === 'service' ? 'workload' : graphType;
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, WorkingEdge>();

  const destinationOf = (key: EdgeKey): NodeIdentity | undefined => {
    if (!isUnknown(key.destination.workload)) return peerIdentity(peerType, key.destination);
    const service = index.service(key.service.fqdn);
    const behind = service ? index.workloadsOfService(service) : [];
    const only = behind.length === 1 ? behind[0] : undefined;
    return only && !only.sidecar ? workloadIdentity(peerType, only) : undefined;
  };

  const pathOf = (key: EdgeKey): Hop[] => {
    const source = peerIdentity(peerType, key.source);
    const service = serviceIdentity(key.service, index);
    const destination = destinationOf(key);
    if (service && (injectServiceNodes || !destination)) {
      return destination
        ? [
            [source, service],
            [service, destination],
          ]
        : [[source, service]];
    }
    return destination ? [[source, destination]] : [];
  };

  const edgeFor = (hop: Hop, protocol: EdgeProtocol): WorkingEdge => {
    const [from, to] = hop;
    for (const identity of hop) if (!nodes.has(identity.id)) nodes.set(identity.id, newNode(identity));
    const id = edgeId(from.id, to.id, protocol);
    let edge = edges.get(id);
    if (!edge) {
      edge = newEdge(from.id, to.id, protocol);
      edges.set(id, edge);
    }
    return edge;
  };

  /** The edge a request-level record joins: one that requests created, never a new one. */
  const existingEdgeFor = (hop: Hop): WorkingEdge | undefined => {
    for (const protocol of requestProtocols) {
      const edge = edges.get(edgeId(hop[0].id, hop[1].id, protocol));
      if (edge) return edge;
    }
    return undefined;
  };

  // Many samples share an edge key (one per response code, flag or principal): each key's path and
  // its edges are worked out once. Found by service, caller and callee workload, then compared on
  // the rest: a key joined into one string would be built and hashed anew for every sample.
  const paths = new Map<string, Map<string, Map<string, { key: EdgeKey; path: Path }[]>>>();
  const pathFor = (key: EdgeKey): Path => {
    const { source: from, destination: to, service } = key;
    let byCaller = paths.get(service.fqdn);
    if (!byCaller) {
      byCaller = new Map();
      paths.set(service.fqdn, byCaller);
    }
    let byCallee = byCaller.get(from.workload);
    if (!byCallee) {
      byCallee = new Map();
      byCaller.set(from.workload, byCallee);
    }
    let known = byCallee.get(to.workload);
    if (!known) {
      known = [];
      byCallee.set(to.workload, known);
    }
    for (const entry of known) if (sameEdge(entry.key, key)) return entry.path;
    const path: Path = { hops: pathOf(key), edges: new Map() };
    known.push({ key, path });
    return path;
  };
  /** The path's edges for a protocol, created for requests and TCP bytes, looked up for the rest. */
  const edgesAlong = (key: EdgeKey, protocol: EdgeProtocol | 'existing'): WorkingEdge[] => {
    const path = pathFor(key);
    let found = path.edges.get(protocol);
    if (!found) {
      found =
        protocol === 'existing'
          ? path.hops.map(existingEdgeFor).filter((edge) => edge !== undefined)
          : path.hops.map((hop) => edgeFor(hop, protocol));
      path.edges.set(protocol, found);
    }
    return found;
  };

  // Requests first: they decide which HTTP/gRPC edges exist; the other samples join those.
  for (const sample of records.requests)
    for (const edge of edgesAlong(sample, sample.protocol)) edge.records.requests.push(sample);
  for (const sample of records.throughput)
    for (const edge of edgesAlong(sample, sample.protocol === 'tcp' ? 'tcp' : 'existing'))
      edge.records.throughput.push(sample);
  for (const sample of records.security)
    for (const edge of edgesAlong(sample, 'existing')) edge.records.security.push(sample);
  for (const sample of records.durations)
    for (const edge of edgesAlong(sample, 'existing')) edge.records.durations.push(sample);
  for (const sample of records.responseTimes)
    for (const edge of edgesAlong(sample, 'existing')) edge.records.responseTimes.push(sample);

  return { graphType, nodes: [...nodes.values()], edges: [...edges.values()] };
}
