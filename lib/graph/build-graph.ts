/**
 * The service graph from a configuration snapshot and a telemetry snapshot, as a pipeline of small
 * pure steps (each in its own file, with its test):
 *
 *     trafficRecords     (a) which samples count: one reporter per caller and service
 *     trafficGraph       (b) nodes per graph type, service-node injection, samples onto edges
 *     reduceToServices       service graph only: service -> service edges
 *     addIdle            (h) idle=true: configured workloads/services without traffic, idle edges
 *     boxApps                versionedApp: app boxes
 *     edgeTraffic        (c) rps, percentOfSource, errorRate, mtlsPercent, codes, flags, principals
 *     responseTimes      (d) p50/p95/p99 from duration histograms, or percentiles of one telemetry
 *                            edge; merged percentile edges are returned as `responseTimeGaps`
 *     throughput         (e) bytes per second
 *     nodeTraffic            node in/out rates and error rates
 *     applyBadges        (f) badges, isGateway, isOutside from configuration
 *     markExternal           ServiceEntry hosts and PassthroughCluster / BlackHoleCluster outside the mesh
 *     applyHealth        (g) health of edges and nodes with Kiali's tolerances
 *     markRoots          (i) isRoot
 *
 * Output is deterministic: nodes sorted boxes first then by id, edges by id.
 */

import type { GraphTelemetrySnapshot } from '../telemetry/response-times';
import type { GraphEdge, GraphNode, GraphType } from '../types/graph';
import type { ConfigSnapshot } from '../types/mesh-config';
import { boxApps } from './app-boxes';
import { applyBadges } from './badges';
import { type ConfigIndex, indexConfig } from './config-index';
import { edgeTraffic } from './edge-traffic';
import { markExternal } from './external';
import { applyHealth, defaultHealthTolerances, type HealthTolerance } from './health';
import { addIdle } from './idle';
import type { WorkingEdge, WorkingGraph } from './model';
import { nodeTraffic } from './node-traffic';
import { reduceToServices } from './reduce-to-services';
import { type ResponseTimeGap, responseTimeGaps, responseTimes } from './response-time';
import { markRoots } from './roots';
import { throughput } from './throughput';
import { trafficGraph } from './traffic-graph';
import { trafficRecords } from './traffic-records';

export interface BuildGraphOptions {
  /** health tolerances (default: Kiali's, `defaultHealthTolerances`) */
  healthTolerances?: readonly HealthTolerance[];
  /** put a service node between callers and the workloads behind it (default true, as in Kiali) */
  injectServiceNodes?: boolean;
}

export interface BuildGraphInput {
  graphType: GraphType;
  /** the namespaces asked for; edges touching one of them are shown (empty: every namespace) */
  namespaces: readonly string[];
  config: ConfigSnapshot;
  /** null when no telemetry could be read: the graph is then only what configuration shows */
  telemetry: GraphTelemetrySnapshot | null;
  /** also show workloads, services and edges that carried no traffic in the window */
  idle: boolean;
  options?: BuildGraphOptions;
}

export interface BuiltGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /**
   * Edges built from percentiles that merge several telemetry edges: their `responseTime` is null
   * until `fillResponseTimes` computes it from those parts' buckets. Empty with histograms.
   */
  responseTimeGaps: ResponseTimeGap[];
}

type Step = (graph: WorkingGraph) => WorkingGraph;

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The response's edge without the samples behind it. Fields listed rather than `...rest`: every
 * edge then has one shape, which JSON.stringify walks fastest, and rest-spreading 2,000+ edges
 * cost more than the rest of this function.
 */
function publicEdge(edge: WorkingEdge): GraphEdge {
  const result: GraphEdge = {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    protocol: edge.protocol,
    rps: edge.rps,
    percentOfSource: edge.percentOfSource,
    errorRate: edge.errorRate,
    responseTime: edge.responseTime,
    throughput: edge.throughput,
    mtlsPercent: edge.mtlsPercent,
    responseCodes: edge.responseCodes,
    responseFlags: edge.responseFlags,
    sourcePrincipals: edge.sourcePrincipals,
    destinationPrincipals: edge.destinationPrincipals,
    health: edge.health,
  };
  if (edge.isIdle) result.isIdle = true;
  if (edge.authz) result.authz = edge.authz;
  return result;
}

function finish(graph: WorkingGraph): BuiltGraph {
  const boxes: GraphNode[] = [];
  const others: GraphNode[] = [];
  for (const node of graph.nodes) (node.isBox ? boxes : others).push(node);
  const nodes = [...boxes.sort(byId), ...others.sort(byId)];
  const edges = graph.edges.map(publicEdge).sort(byId);
  return { nodes, edges, responseTimeGaps: responseTimeGaps(graph) };
}

/** Indexes by the lists they were built from (see `sharedIndex`). */
const indexes = new WeakMap<ConfigSnapshot['workloads'], { config: ConfigSnapshot; index: ConfigIndex }>();

/**
 * The configuration's index, built once for the same lists: a server that hands out the same
 * snapshot while its caches do not change (server/config-snapshot.ts `getSharedConfigSnapshot`,
 * copies with a fresh `asOf`) gets the same index, and with it what the index and the badge step
 * already worked out per workload, service and node.
 */
function sharedIndex(config: ConfigSnapshot): ConfigIndex {
  const found = indexes.get(config.workloads);
  if (found && found.config.services === config.services && found.config.istio === config.istio)
    return found.index;
  const index = indexConfig(config);
  indexes.set(config.workloads, { config, index });
  return index;
}

export function buildGraph(input: BuildGraphInput): BuiltGraph {
  const { graphType, namespaces, idle } = input;
  const index = sharedIndex(input.config);
  // The service graph is reduced from a graph with service nodes, whatever the option says.
  const injectServiceNodes = graphType === 'service' || (input.options?.injectServiceNodes ?? true);
  const tolerances = input.options?.healthTolerances ?? defaultHealthTolerances;

  const steps: Step[] = [
    ...(graphType === 'service' ? [reduceToServices] : []),
    ...(idle ? [(graph: WorkingGraph) => addIdle(graph, { namespaces, index, injectServiceNodes })] : []),
    (graph) => boxApps(graph, index),
    edgeTraffic,
    (graph) =>
      responseTimes(graph, {
        percentiles: input.telemetry?.responseTimes !== undefined,
        requests: input.telemetry?.requests ?? [],
      }),
    throughput,
    nodeTraffic,
    (graph) => applyBadges(graph, index, injectServiceNodes),
    (graph) => markExternal(graph, index),
    (graph) => applyHealth(graph, { index, tolerances }),
    markRoots,
  ];
  const start = trafficGraph({
    graphType,
    records: trafficRecords(input.telemetry, namespaces),
    index,
    injectServiceNodes,
  });
  return finish(steps.reduce((graph, step) => step(graph), start));
}
