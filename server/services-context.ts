import 'server-only';
import { buildGraph } from '@/lib/graph/build-graph';
import type { ApiWarning } from '@/lib/types/api';
import type { GraphEdge, GraphNode } from '@/lib/types/graph';
import type { ConfigSnapshot } from '@/lib/types/mesh-config';
import type { TelemetrySnapshot, TelemetrySourceName } from '@/lib/types/telemetry';
import type { Finding } from '@/lib/types/validation';
import { getConfigSnapshot } from './config-snapshot';
import { AppError } from './errors';
import { logger } from './logger';
import { getTelemetrySource } from './telemetry/source';
import { getValidationService } from './validations';

/**
 * What the services, gateways and service-entries views read together: the telemetry of the
 * window, the whole cluster's configuration snapshot (a VirtualService anywhere may route to a
 * service), the workload graph with service nodes built from both (lib/graph, the graph page's
 * pipeline), and the findings of every object by `Kind/namespace/name`. A telemetry or
 * validation outage is a warning, never a failure; only an unreadable configuration throws.
 */
export interface MeshContext {
  config: ConfigSnapshot;
  telemetry: TelemetrySnapshot | null;
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
  findingsByObject: Map<string, Finding[]>;
  telemetryInfo: { source: TelemetrySourceName; windowSeconds: number } | null;
  warnings: ApiWarning[];
}

export const objectKey = (object: { kind: string; namespace: string; name: string }) =>
  `${object.kind}/${object.namespace}/${object.name}`;

async function readTelemetry(
  namespaces: string[],
  windowSeconds: number,
): Promise<{ snapshot: TelemetrySnapshot | null; warnings: ApiWarning[] }> {
  try {
    const source = await getTelemetrySource();
    const snapshot = await source.snapshot({ namespaces, windowSeconds });
    return { snapshot, warnings: snapshot.warnings };
  } catch (error) {
    const reason =
      error instanceof AppError ? error.message : 'the telemetry source failed (see the dashboard logs)';
    if (error instanceof AppError) logger.warn({ code: error.code }, error.message);
    else logger.error({ err: error }, 'telemetry snapshot failed');
    return {
      snapshot: null,
      warnings: [{ source: 'telemetry', message: `No traffic data: ${reason}. Rates are shown as zero.` }],
    };
  }
}

async function readFindings(): Promise<{ byObject: Map<string, Finding[]>; warnings: ApiWarning[] }> {
  const byObject = new Map<string, Finding[]>();
  try {
    const service = getValidationService();
    const warnings = await service.refresh();
    for (const finding of service.findings()) {
      const key = objectKey(finding.object);
      const list = byObject.get(key);
      if (list) list.push(finding);
      else byObject.set(key, [finding]);
    }
    return { byObject, warnings };
  } catch (error) {
    logger.warn({ err: error }, 'validation for the services view failed');
    return {
      byObject,
      warnings: [
        { source: 'validation', message: 'Configuration findings are not shown: validation failed.' },
      ],
    };
  }
}

/**
 * Reads telemetry, configuration and findings for `namespaces` (every namespace when empty) over
 * `windowSeconds`. The graph includes idle services so that every service has its node.
 */
export async function readMeshContext(namespaces: string[], windowSeconds: number): Promise<MeshContext> {
  const [config, findings] = await Promise.all([getConfigSnapshot(), readFindings()]);
  // The telemetry sources read the namespaces they are asked about: "every namespace" is named.
  const asked =
    namespaces.length > 0 ? namespaces : config.snapshot.namespaces.map((namespace) => namespace.name);
  const telemetry = await readTelemetry(asked, windowSeconds);
  const graph = buildGraph({
    graphType: 'workload',
    namespaces,
    config: config.snapshot,
    telemetry: telemetry.snapshot,
    idle: true,
  });
  return {
    config: config.snapshot,
    telemetry: telemetry.snapshot,
    graph,
    findingsByObject: findings.byObject,
    telemetryInfo: telemetry.snapshot
      ? { source: telemetry.snapshot.source, windowSeconds: telemetry.snapshot.windowSeconds }
      : null,
    warnings: [...config.warnings, ...telemetry.warnings, ...findings.warnings],
  };
}
