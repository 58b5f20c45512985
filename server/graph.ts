import 'server-only';
import { buildGraph } from '@/lib/graph/build-graph';
import { fillResponseTimes, type ResponseTimeGap } from '@/lib/graph/response-time';
import type { GraphQuery } from '@/lib/graph-params';
import { findingsByGraphNode } from '@/lib/istio-config/graph-findings';
import { withEdgeDenials } from '@/lib/security/graph-denials';
import type { GraphTelemetrySnapshot } from '@/lib/telemetry/response-times';
import { edgeIdOf } from '@/lib/telemetry/samples';
import type { ApiWarning } from '@/lib/types/api';
import type { GraphEdge, GraphNode, GraphResponse } from '@/lib/types/graph';
import type { ConfigSnapshot } from '@/lib/types/mesh-config';
import type { EdgeKey, TelemetrySnapshot } from '@/lib/types/telemetry';
import { getSharedConfigSnapshot, type SnapshotResult } from './config-snapshot';
import { AppError } from './errors';
import { logger } from './logger';
import { histogram } from './metrics';
import { defaultMonitor, type ResilienceMonitor } from './resilience';
import { withEjections } from './resilience-graph';
import { getTelemetrySource, type TelemetrySource } from './telemetry/source';
import { getValidationService, type ValidationService } from './validations';

const buildSeconds = histogram({
  name: 'meshscope_graph_build_seconds',
  help: 'Time to answer GET /api/graph: telemetry, configuration snapshot and graph build',
  labelNames: ['graph_type', 'telemetry'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

interface TelemetryRead {
  snapshot: GraphTelemetrySnapshot | null;
  warnings: ApiWarning[];
  source?: TelemetrySource;
}

/**
 * Telemetry for the graph, never a failure: a source that cannot answer becomes a warning and the
 * graph is drawn from configuration alone.
 */
async function readTelemetry(query: GraphQuery, dependencies: GraphDependencies): Promise<TelemetryRead> {
  try {
    const source = await dependencies.telemetry();
    // Percentiles per graph hop from Prometheus instead of every histogram bucket.
    const snapshot = await source.snapshot({
      namespaces: query.namespaces,
      windowSeconds: query.duration,
      responseTimes: 'percentiles',
      // buildGraph's default: service nodes injected.
      responseTimeGraph: { graphType: query.graphType, injectServiceNodes: true },
    });
    return { snapshot, warnings: snapshot.warnings, source };
  } catch (error) {
    const reason =
      error instanceof AppError ? error.message : 'the telemetry source failed (see the dashboard logs)';
    if (!(error instanceof AppError)) logger.error({ err: error }, 'telemetry snapshot failed');
    else logger.warn({ code: error.code }, error.message);
    return {
      snapshot: null,
      warnings: [
        {
          source: 'telemetry',
          message: `No traffic data: ${reason}. The graph shows only what the configuration declares, without rates.`,
        },
      ],
    };
  }
}

/** Namespaces the telemetry mentions (callers from elsewhere, services in other namespaces). */
function namespacesIn(snapshot: TelemetrySnapshot | null): Set<string> {
  const found = new Set<string>();
  for (const sample of snapshot?.requests ?? []) {
    found.add(sample.source.namespace);
    found.add(sample.destination.namespace);
    found.add(sample.service.namespace);
  }
  found.delete('');
  found.delete('unknown');
  return found;
}

/** The steps of one `/api/graph` answer, in order, as timed by `GraphDependencies.onStep`. */
export type GraphStep = 'telemetry' | 'config' | 'build' | 'buckets' | 'findings' | 'ejections' | 'denials';

/** What a graph answer reads; `getGraph` uses the process's (or the caller's) own. */
export interface GraphDependencies {
  telemetry(): Promise<TelemetrySource>;
  config(namespaces: string[]): Promise<SnapshotResult>;
  validation(): ValidationService;
  monitor(): ResilienceMonitor;
  /** told how long each step took, in milliseconds */
  onStep?(step: GraphStep, ms: number): void;
}

const stepSeconds = histogram<'step'>({
  name: 'meshscope_graph_step_seconds',
  help: 'Time of each step of GET /api/graph (telemetry, config, build, findings, ejections, denials)',
  labelNames: ['step'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

const processDependencies: GraphDependencies = {
  telemetry: getTelemetrySource,
  // The graph only reads the snapshot: it may share one with earlier refreshes while nothing changed.
  config: (namespaces) => getSharedConfigSnapshot(namespaces),
  validation: () => getValidationService(),
  monitor: defaultMonitor,
  onStep: (step, ms) => stepSeconds.observe({ step }, ms / 1000),
};

/**
 * `GET /api/graph`: the telemetry and the configuration snapshot of the namespaces (and of the
 * peers the traffic reaches beyond them, for their badges and sidecar state), built into a graph.
 * Throws only when the cluster's configuration cannot be read at all.
 */
export function getGraph(query: GraphQuery): Promise<GraphResponse> {
  return graphAnswer(query, processDependencies);
}

/** `getGraph` with its dependencies given: what the route does, step by step. */
export async function graphAnswer(
  query: GraphQuery,
  dependencies: GraphDependencies,
): Promise<GraphResponse> {
  const stopTimer = buildSeconds.startTimer({ graph_type: query.graphType });
  let mark = performance.now();
  const step = (name: GraphStep) => {
    const now = performance.now();
    dependencies.onStep?.(name, now - mark);
    mark = now;
  };
  const telemetry = await readTelemetry(query, dependencies);
  step('telemetry');
  // The snapshot comes from the caches (milliseconds): take it once, for every namespace the traffic reaches.
  const involved = new Set([...query.namespaces, ...namespacesIn(telemetry.snapshot)]);
  const config = await dependencies.config([...involved]);
  step('config');
  const { nodes, edges, responseTimeGaps } = buildGraph({
    graphType: query.graphType,
    namespaces: query.namespaces,
    config: config.snapshot,
    telemetry: telemetry.snapshot,
    idle: query.idle,
  });
  step('build');
  const bucketWarnings = await withMergedResponseTimes(edges, responseTimeGaps, query, telemetry);
  step('buckets');
  const validation = await withFindings(nodes, config.snapshot, [...involved], dependencies);
  step('findings');
  const ejections = await withEjections(
    validation.nodes,
    config.snapshot,
    telemetry.snapshot,
    dependencies.monitor(),
  );
  step('ejections');
  const deniedEdges = withEdgeDenials(nodes, edges, config.snapshot);
  step('denials');
  stopTimer({ telemetry: telemetry.snapshot?.source ?? 'none' });
  return {
    timestamp: new Date().toISOString(),
    duration: query.duration,
    graphType: query.graphType,
    namespaces: query.namespaces,
    nodes: ejections.nodes,
    edges: deniedEdges,
    telemetry: telemetry.snapshot
      ? { source: telemetry.snapshot.source, windowSeconds: telemetry.snapshot.windowSeconds }
      : null,
    warnings: [
      ...config.warnings,
      ...telemetry.warnings,
      ...bucketWarnings,
      ...validation.warnings,
      ...ejections.warnings,
    ],
  };
}

/**
 * Exact percentiles for the edges that merge several telemetry edges' percentiles: one more
 * query, for those parts' buckets only (a few percent of the edges), instead of every bucket of
 * the mesh. Failure leaves those edges without response times and a warning.
 */
async function withMergedResponseTimes(
  edges: GraphEdge[],
  gaps: readonly ResponseTimeGap[],
  query: GraphQuery,
  { source, snapshot }: TelemetryRead,
): Promise<ApiWarning[]> {
  if (gaps.length === 0 || !source?.partDurations || !snapshot) return [];
  try {
    const parts = new Map<string, EdgeKey>();
    for (const gap of gaps) for (const key of gap.keys) parts.set(edgeIdOf(key), key);
    const durations = await source.partDurations(
      { namespaces: query.namespaces, windowSeconds: query.duration },
      [...parts.values()],
      Date.parse(snapshot.timestamp),
    );
    fillResponseTimes(edges, gaps, durations);
    return [];
  } catch (error) {
    logger.warn({ err: error }, 'duration buckets of merged graph edges failed');
    return [
      {
        source: 'telemetry',
        message: `No response times on ${gaps.length} edges that merge several telemetry series: their duration buckets could not be read.`,
      },
    ];
  }
}

/**
 * Marks nodes whose configuration has validation warnings or errors (a badge linking to the
 * Istio config page). Validation trouble never fails the graph: it becomes a warning.
 */
async function withFindings(
  nodes: GraphNode[],
  snapshot: ConfigSnapshot,
  namespaces: string[],
  dependencies: GraphDependencies,
): Promise<{ nodes: GraphNode[]; warnings: ApiWarning[] }> {
  try {
    const service = dependencies.validation();
    const warnings = await service.refresh();
    const byNode = findingsByGraphNode(nodes, service.findings(namespaces), snapshot);
    const marked = nodes.map((node) => {
      const found = byNode.get(node.id);
      if (!found || found.error + found.warning === 0) return node;
      return {
        ...node,
        badges: [...node.badges, 'configFindings' as const],
        findings: { error: found.error, warning: found.warning, info: found.info },
      };
    });
    return { nodes: marked, warnings };
  } catch (error) {
    logger.warn({ err: error }, 'validation for the graph failed');
    return {
      nodes,
      warnings: [
        { source: 'validation', message: 'Configuration findings are not shown: validation failed.' },
      ],
    };
  }
}
