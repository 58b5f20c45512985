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
import type { DestinationService, EdgeKey } from '../types/telemetry';
import type { ConfigIndex } from './config-index';
import {
  type EdgeProtocol,
  isUnknown,
  type NodeIdentity,
  newEdge,
  newNode,
  type Peer,
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

/** The edges along a path, per protocol, once worked out (`existing`: those requests created). */
interface PathEdges {
  http?: WorkingEdge[];
  grpc?: WorkingEdge[];
  tcp?: WorkingEdge[];
  existing?: WorkingEdge[];
}

/** Where an edge key's samples go: its hops, and the edges along them per protocol. */
interface Path {
  hops: Hop[];
  edges: PathEdges;
}

/** The edges between two nodes, one per protocol. */
type EdgesBetween = Partial<Record<EdgeProtocol, WorkingEdge>>;

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

/** The entry of a two-level map, made when missing. */
function entryOf<V>(map: Map<string, Map<string, V>>, first: string, second: string, make: () => V): V {
  let inner = map.get(first);
  if (!inner) {
    inner = new Map();
    map.set(first, inner);
  }
  let value = inner.get(second);
  if (value === undefined) {
    value = make();
    inner.set(second, value);
  }
  return value;
}

export function trafficGraph(input: TrafficGraphInput): WorkingGraph {
  const { graphType, records, index, injectServiceNodes } = input;
  const peerType: GraphType = graphType === 'service' ? 'workload' : graphType;
  const nodes = new Map<string, GraphNode>();
  // Edges in the order they were made, and found by their nodes' ids: no id string per lookup.
  const edges: WorkingEdge[] = [];
  const between = new Map<string, Map<string, EdgesBetween>>();

  const destinationOf = (key: EdgeKey): NodeIdentity | undefined => {
    if (!isUnknown(key.destination.workload)) return identityOf(key.destination);
    const service = index.service(key.service.fqdn);
    const behind = service ? index.workloadsOfService(service) : [];
    const only = behind.length === 1 ? behind[0] : undefined;
    return only && !only.sidecar ? workloadIdentity(peerType, only) : undefined;
  };

  // Peers and services recur across paths (a caller of many services, percentile series per hop):
  // each one's node identity is worked out once per graph.
  const peers = new Map<string, Map<string, { peer: Peer; identity: NodeIdentity }[]>>();
  const identityOf = (peer: Peer): NodeIdentity => {
    const known = entryOf(
      peers,
      peer.namespace,
      peer.workload,
      (): { peer: Peer; identity: NodeIdentity }[] => [],
    );
    for (const entry of known)
      if (entry.peer.app === peer.app && entry.peer.version === peer.version) return entry.identity;
    const identity = peerIdentity(peerType, peer);
    known.push({ peer, identity });
    return identity;
  };
  const services = new Map<string, { service: DestinationService; identity: NodeIdentity | undefined }[]>();
  const serviceNodeOf = (service: DestinationService): NodeIdentity | undefined => {
    let known = services.get(service.fqdn);
    if (!known) {
      known = [];
      services.set(service.fqdn, known);
    }
    for (const entry of known)
      if (entry.service.name === service.name && entry.service.namespace === service.namespace)
        return entry.identity;
    const identity = serviceIdentity(service, index);
    known.push({ service, identity });
    return identity;
  };

  const pathOf = (key: EdgeKey): Hop[] => {
    const source = identityOf(key.source);
    const service = serviceNodeOf(key.service);
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
    if (!nodes.has(from.id)) nodes.set(from.id, newNode(from));
    if (!nodes.has(to.id)) nodes.set(to.id, newNode(to));
    const found = entryOf(between, from.id, to.id, (): EdgesBetween => ({}));
    let edge = found[protocol];
    if (!edge) {
      edge = newEdge(from.id, to.id, protocol);
      found[protocol] = edge;
      edges.push(edge);
    }
    return edge;
  };

  /** The edge a request-level record joins: one that requests created, never a new one. */
  const existingEdgeFor = (hop: Hop): WorkingEdge | undefined => {
    const found = between.get(hop[0].id)?.get(hop[1].id);
    if (!found) return undefined;
    for (const protocol of requestProtocols) {
      const edge = found[protocol];
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
    const known = entryOf(byCaller, from.workload, to.workload, (): { key: EdgeKey; path: Path }[] => []);
    for (const entry of known) if (sameEdge(entry.key, key)) return entry.path;
    const path: Path = { hops: pathOf(key), edges: {} };
    known.push({ key, path });
    return path;
  };
  /** The path's edges for a protocol, created for requests and TCP bytes, looked up for the rest. */
  const edgesAlong = (key: EdgeKey, protocol: EdgeProtocol | 'existing'): WorkingEdge[] => {
    const path = pathFor(key);
    let found = path.edges[protocol];
    if (!found) {
      found = [];
      if (protocol === 'existing') {
        for (const hop of path.hops) {
          const edge = existingEdgeFor(hop);
          if (edge) found.push(edge);
        }
      } else for (const hop of path.hops) found.push(edgeFor(hop, protocol));
      path.edges[protocol] = found;
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

  return { graphType, nodes: [...nodes.values()], edges };
}
