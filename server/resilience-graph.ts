import 'server-only';
import { servicesThatMayEject, withNodeEjections } from '@/lib/resilience/graph-ejections';
import type { ApiWarning } from '@/lib/types/api';
import type { GraphNode } from '@/lib/types/graph';
import type { ConfigSnapshot } from '@/lib/types/mesh-config';
import type { TelemetrySnapshot } from '@/lib/types/telemetry';
import { AppError } from './errors';
import { logger } from './logger';
import { histogram } from './metrics';
import { defaultMonitor, type ResilienceMonitor } from './resilience';

/**
 * Ejections on the graph, kept cheap at scale: only the services drawn whose DestinationRule has
 * outlier detection, only their callers in the graph's own telemetry (no extra query), at most
 * `MESHSCOPE_GRAPH_EJECTION_CALLERS` caller pods (default 100) across the graph; each caller's
 * Envoy `/clusters` is read once per poll round (5 s) whatever it calls, and a refresh inside the
 * interval reads the last round. Failures leave the graph as it was, with a warning.
 */

const ejectionSeconds = histogram<'outcome'>({
  name: 'meshscope_graph_ejections_seconds',
  help: 'Time the graph spends on ejection state (resilience poller) per request',
  labelNames: ['outcome'],
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

function budget(): number {
  const text = process.env.MESHSCOPE_GRAPH_EJECTION_CALLERS?.trim();
  const value = text ? Number(text) : Number.NaN;
  return Number.isInteger(value) && value >= 0 ? value : 100;
}

export async function withEjections(
  nodes: GraphNode[],
  snapshot: ConfigSnapshot,
  telemetry: TelemetrySnapshot | null | undefined,
  monitor: ResilienceMonitor = defaultMonitor(),
): Promise<{ nodes: GraphNode[]; warnings: ApiWarning[] }> {
  if (!telemetry || nodes.length === 0) return { nodes, warnings: [] };
  const stop = ejectionSeconds.startTimer();
  const drawn = new Set(
    nodes
      .filter((node) => node.kind === 'service' || node.kind === 'workload' || node.kind === 'app')
      .map((node) => node.namespace),
  );
  // The monitor filters again; filtering here first skips the work for meshes without outlier detection.
  const services = servicesThatMayEject(
    snapshot.istio,
    snapshot.services.filter((service) => drawn.has(service.namespace)),
  );
  if (services.length === 0) {
    stop({ outcome: 'none' });
    return { nodes, warnings: [] };
  }
  try {
    const found = await monitor.graphEjections(snapshot, telemetry.requests, services, budget());
    stop({ outcome: 'ok' });
    const warnings: ApiWarning[] =
      found.skipped > 0
        ? [
            {
              source: 'resilience',
              message: `Ejections are shown for some services only: ${found.skipped} more would need more than ${budget()} caller proxies polled (MESHSCOPE_GRAPH_EJECTION_CALLERS).`,
            },
          ]
        : [];
    return { nodes: withNodeEjections(nodes, found.byService, snapshot.pods), warnings };
  } catch (error) {
    stop({ outcome: 'error' });
    if (!(error instanceof AppError)) logger.warn({ err: error }, 'ejections for the graph failed');
    return {
      nodes,
      warnings: [
        { source: 'resilience', message: 'Outlier ejections are not shown: polling the proxies failed.' },
      ],
    };
  }
}
