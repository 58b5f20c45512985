import 'server-only';
import type { V1Pod } from '@kubernetes/client-node';
import { buildGraph } from '@/lib/graph/build-graph';
import { indexConfig } from '@/lib/graph/config-index';
import type { ApiWarning } from '@/lib/types/api';
import type { ConfigSnapshot } from '@/lib/types/mesh-config';
import type { TelemetrySnapshot } from '@/lib/types/telemetry';
import type { Finding } from '@/lib/types/validation';
import type { PodSummary, WorkloadDetailResponse, WorkloadListResponse } from '@/lib/types/workloads';
import { injectionStatus } from '@/lib/workloads/injection';
import { workloadList } from '@/lib/workloads/list';
import { getConfig } from './config';
import { getConfigSnapshot } from './config-snapshot';
import { AppError, fromKubeError } from './errors';
import { getCluster } from './kube/cluster';
import { logger } from './logger';
import { getTelemetrySource } from './telemetry/source';
import { getValidationService } from './validations';

async function readTelemetry(
  namespaces: string[],
  windowSeconds: number,
): Promise<{ snapshot: TelemetrySnapshot | null; warnings: ApiWarning[] }> {
  if (namespaces.length === 0) return { snapshot: null, warnings: [] };
  try {
    const source = await getTelemetrySource();
    const snapshot = await source.snapshot({ namespaces, windowSeconds });
    return { snapshot, warnings: snapshot.warnings };
  } catch (error) {
    if (!(error instanceof AppError)) logger.error({ err: error }, 'telemetry snapshot failed');
    const reason =
      error instanceof AppError ? error.message : 'the telemetry source failed (see the dashboard logs)';
    return { snapshot: null, warnings: [{ source: 'telemetry', message: `No request rates: ${reason}` }] };
  }
}

async function readFindings(namespaces: string[]): Promise<{ findings: Finding[]; warnings: ApiWarning[] }> {
  try {
    const service = getValidationService();
    const warnings = await service.refresh();
    return { findings: service.findings(namespaces), warnings };
  } catch (error) {
    logger.warn({ err: error }, 'validation for the workloads list failed');
    return {
      findings: [],
      warnings: [
        { source: 'validation', message: 'Configuration findings are not counted: validation failed.' },
      ],
    };
  }
}

/**
 * `GET /api/workloads?namespaces=`: every workload of the namespaces (all when none are named)
 * with health, rates, p95, sidecar state, the Istio configuration that applies and its findings.
 * Telemetry or validation trouble is a warning; only an unreadable cluster throws.
 */
export async function getWorkloads(query: {
  namespaces: string[];
  durationSeconds: number;
}): Promise<WorkloadListResponse> {
  const config = await getConfigSnapshot(query.namespaces.length > 0 ? query.namespaces : undefined);
  const namespaces =
    query.namespaces.length > 0
      ? query.namespaces
      : config.snapshot.namespaces.map((namespace) => namespace.name);
  const [telemetry, validation] = await Promise.all([
    readTelemetry(namespaces, query.durationSeconds),
    readFindings(namespaces),
  ]);
  const { nodes } = buildGraph({
    graphType: 'workload',
    namespaces,
    config: config.snapshot,
    telemetry: telemetry.snapshot,
    idle: true,
    options: { injectServiceNodes: false },
  });
  return {
    timestamp: new Date().toISOString(),
    namespaces,
    duration: query.durationSeconds,
    workloads: workloadList({
      config: config.snapshot,
      namespaces,
      nodes,
      telemetry: telemetry.snapshot,
      findings: validation.findings,
    }),
    telemetry: telemetry.snapshot
      ? { source: telemetry.snapshot.source, windowSeconds: telemetry.snapshot.windowSeconds }
      : null,
    warnings: [...config.warnings, ...telemetry.warnings, ...validation.warnings],
  };
}

function podSummary(pod: V1Pod, snapshot: ConfigSnapshot, namespace: string): PodSummary {
  const statuses = pod.status?.containerStatuses ?? [];
  const containers = (pod.spec?.containers ?? []).map((container) => container.name);
  const nativeSidecar = (pod.spec?.initContainers ?? []).some(
    (container) => container.name === 'istio-proxy' && container.restartPolicy === 'Always',
  );
  const namespaceLabels = snapshot.namespaces.find((entry) => entry.name === namespace)?.labels ?? {};
  const annotations = pod.metadata?.annotations ?? {};
  const proxy = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find(
    (container) => container.name === 'istio-proxy',
  );
  // The proxy image's tag: `docker.io/istio/proxyv2:1.24.2` -> 1.24.2.
  const proxyVersion = proxy?.image?.includes(':') ? proxy.image.split(':').at(-1) : undefined;
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    podIP: pod.status?.podIP ?? '',
    restarts: statuses.reduce((sum, status) => sum + (status.restartCount ?? 0), 0),
    ready:
      pod.status?.conditions?.some(
        (condition) => condition.type === 'Ready' && condition.status === 'True',
      ) ?? false,
    containers,
    createdAt: pod.metadata?.creationTimestamp ? new Date(pod.metadata.creationTimestamp).toISOString() : '',
    injection: injectionStatus({
      namespace,
      namespaceLabels,
      podLabels: pod.metadata?.labels ?? {},
      podAnnotations: annotations,
      hasSidecar: containers.includes('istio-proxy') || nativeSidecar,
      hostNetwork: pod.spec?.hostNetwork === true,
      injectNamespacesByDefault: snapshot.mesh?.injectNamespacesByDefault === true,
    }),
    ...(proxyVersion ? { proxyVersion } : {}),
  };
}

/**
 * `GET /api/workloads/NS/NAME`: the workload's list entry, its pods read live (phase, restarts,
 * sidecar and why it is or is not injected), the services in front of it and the links out.
 * 404 `not-found` for an unknown workload.
 */
export async function getWorkload(namespace: string, name: string): Promise<WorkloadDetailResponse> {
  const list = await getWorkloads({ namespaces: [namespace], durationSeconds: 60 });
  const workload = list.workloads.find((entry) => entry.name === name);
  if (!workload) throw new AppError('not-found', `No workload ${namespace}/${name}`);
  const config = await getConfigSnapshot([namespace]);
  const podNames = new Set(
    config.snapshot.pods.filter((pod) => pod.workload === name).map((pod) => pod.name),
  );
  const cluster = getCluster();
  let pods: PodSummary[];
  try {
    const listed = await cluster.core.listNamespacedPod({ namespace });
    pods = listed.items
      .filter((pod) => podNames.has(pod.metadata?.name ?? ''))
      .map((pod) => podSummary(pod, config.snapshot, namespace))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw fromKubeError(error, cluster.server);
  }
  const index = indexConfig(config.snapshot);
  const info = config.snapshot.workloads.find(
    (entry) => entry.name === name && entry.namespace === namespace,
  );
  const services = info ? index.servicesOfWorkload(info).map((service) => service.name) : [];
  const settings = getConfig();
  return {
    workload,
    pods,
    services,
    links: {
      ...(settings.grafanaUrl ? { grafana: settings.grafanaUrl } : {}),
      ...(settings.tracingUrl ? { tracing: settings.tracingUrl } : {}),
    },
    warnings: list.warnings,
  };
}
