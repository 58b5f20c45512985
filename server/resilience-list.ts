import 'server-only';
import { ejectedText } from '@/lib/resilience/ejection-limits';
import type { ResilienceListResponse, ResilienceServiceSummary } from '@/lib/resilience/list-types';
import { destinationRuleFor } from '@/lib/resilience/policy';
import { outlierSummary, poolSummary } from '@/lib/resilience/summary';
import type { ApiWarning } from '@/lib/types/api';
import type { NodeEjection } from '@/lib/types/graph';
import type { TelemetrySnapshot } from '@/lib/types/telemetry';
import { getConfigSnapshot, type SnapshotResult } from './config-snapshot';
import { AppError } from './errors';
import { logger } from './logger';
import { defaultMonitor, type ResilienceMonitor } from './resilience';
import { getTelemetrySource, type TelemetrySource } from './telemetry/source';

/**
 * `GET /api/resilience?namespaces=`: every service of the namespaces with the DestinationRule
 * that applies in its own namespace (outlier detection and pool limits in a few words) and, for
 * services with outlier detection and callers in the window, how many pods are ejected now — from
 * the same bounded poller as the graph (callers from telemetry, each polled once per round).
 */
export interface ResilienceListDependencies {
  snapshot(namespaces: string[]): Promise<SnapshotResult>;
  telemetry(): Promise<TelemetrySource>;
  monitor: ResilienceMonitor;
}

function processDependencies(): ResilienceListDependencies {
  return {
    snapshot: (namespaces) => getConfigSnapshot(namespaces),
    telemetry: getTelemetrySource,
    monitor: defaultMonitor(),
  };
}

export async function listResilience(
  namespaces: string[],
  windowSeconds: number,
  dependencies: ResilienceListDependencies = processDependencies(),
): Promise<ResilienceListResponse> {
  const { monitor } = dependencies;
  const warnings: ApiWarning[] = [];
  let telemetry: TelemetrySnapshot | undefined;
  try {
    telemetry = await (await dependencies.telemetry()).snapshot({
      namespaces,
      windowSeconds: Math.min(windowSeconds, 300),
    });
    warnings.push(...telemetry.warnings);
  } catch (error) {
    if (!(error instanceof AppError))
      logger.error({ err: error }, 'telemetry for the resilience list failed');
    warnings.push({
      source: 'telemetry',
      message: 'No traffic data: callers, and so ejections, are unknown.',
    });
  }
  const involved = new Set(namespaces);
  for (const sample of telemetry?.requests ?? []) involved.add(sample.source.namespace);
  involved.delete('unknown');
  involved.delete('');
  const config = await dependencies.snapshot([...involved]);
  warnings.push(...config.warnings);
  const { snapshot } = config;
  const services = snapshot.services.filter((service) => namespaces.includes(service.namespace));
  let byService = new Map<string, { state: string }[]>();
  let callerPods = 0;
  if (telemetry) {
    try {
      const found = await monitor.graphEjections(snapshot, telemetry.requests, services);
      byService = found.byService;
      callerPods = found.callerPods;
      if (found.skipped > 0)
        warnings.push({
          source: 'resilience',
          message: `${found.skipped} services with outlier detection are not polled: too many caller proxies. Open one to see its pods.`,
        });
    } catch (error) {
      logger.warn({ err: error }, 'ejections for the resilience list failed');
      warnings.push({
        source: 'resilience',
        message: 'Ejections are not shown: polling the proxies failed.',
      });
    }
  }
  const rows: ResilienceServiceSummary[] = services.map((service) => {
    const selected = destinationRuleFor(snapshot, service, {
      namespace: service.namespace,
      labels: undefined,
    });
    const policy = selected?.rule.spec.trafficPolicy as Record<string, unknown> | undefined;
    const states = byService.get(`${service.namespace}/${service.name}`);
    const ejected = states?.filter((state) => state.state === 'ejected').length ?? 0;
    const ejection: NodeEjection | null = states
      ? { ejected, total: states.length, text: ejectedText(ejected, states.length) }
      : null;
    const subsetOutlier = selected?.subsets.some((subset) => {
      const own = subset.trafficPolicy as Record<string, unknown> | undefined;
      return own?.outlierDetection !== undefined;
    });
    return {
      namespace: service.namespace,
      name: service.name,
      destinationRule: selected ? `${selected.rule.namespace}/${selected.rule.name}` : null,
      outlierDetection: outlierSummary(policy?.outlierDetection) ?? (subsetOutlier ? 'set per subset' : null),
      connectionPool: poolSummary(policy?.connectionPool),
      subsetPolicies: (selected?.subsets ?? [])
        .filter((subset) => subset.trafficPolicy !== undefined)
        .map((subset) => String(subset.name ?? '')),
      ejection,
    };
  });
  return { timestamp: new Date().toISOString(), namespaces, services: rows, callerPods, warnings };
}
