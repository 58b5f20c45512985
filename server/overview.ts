import 'server-only';
import { buildGraph } from '@/lib/graph/build-graph';
import { DEFAULT_DURATION_SECONDS } from '@/lib/graph-params';
import { summarizeNamespaces } from '@/lib/overview/namespace-overview';
import type { ApiWarning } from '@/lib/types/api';
import type { OverviewResponse } from '@/lib/types/overview';
import type { TelemetrySnapshot } from '@/lib/types/telemetry';
import { getConfigSnapshot } from './config-snapshot';
import { AppError } from './errors';
import { logger } from './logger';
import { getTelemetrySource } from './telemetry/source';

async function telemetryFor(
  namespaces: string[],
): Promise<{ snapshot: TelemetrySnapshot | null; warnings: ApiWarning[] }> {
  if (namespaces.length === 0) return { snapshot: null, warnings: [] };
  try {
    const source = await getTelemetrySource();
    const snapshot = await source.snapshot({ namespaces, windowSeconds: DEFAULT_DURATION_SECONDS });
    return { snapshot, warnings: snapshot.warnings };
  } catch (error) {
    if (!(error instanceof AppError)) logger.error({ err: error }, 'telemetry snapshot failed');
    const reason =
      error instanceof AppError ? error.message : 'the telemetry source failed (see the dashboard logs)';
    return { snapshot: null, warnings: [{ source: 'telemetry', message: `No request rates: ${reason}` }] };
  }
}

/**
 * `GET /api/overview`: every namespace with its workload, service and Istio object counts, the
 * requests its workloads received over the last minute and their worst health. Telemetry trouble
 * is a warning (counts still come); only an unconfigured cluster throws.
 */
export async function getOverview(): Promise<OverviewResponse> {
  const config = await getConfigSnapshot();
  const namespaces = config.snapshot.namespaces.map((namespace) => namespace.name);
  const telemetry = await telemetryFor(namespaces);
  const { nodes } = buildGraph({
    graphType: 'workload',
    namespaces,
    config: config.snapshot,
    telemetry: telemetry.snapshot,
    idle: false,
    options: { injectServiceNodes: false },
  });
  return {
    timestamp: new Date().toISOString(),
    namespaces: summarizeNamespaces(config.snapshot, nodes),
    telemetry: telemetry.snapshot
      ? { source: telemetry.snapshot.source, windowSeconds: telemetry.snapshot.windowSeconds }
      : null,
    warnings: [...config.warnings, ...telemetry.warnings],
  };
}
