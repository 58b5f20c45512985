/**
 * The workloads list: every workload of the asked namespaces with its health and traffic (from
 * the workload graph's nodes), p95 from the duration histograms, sidecar state, the Istio
 * configuration that applies and its findings.
 */
import { indexConfig } from '../graph/config-index';
import { histogramQuantile } from '../telemetry/quantile';
import type { GraphNode } from '../types/graph';
import type { ConfigSnapshot, WorkloadInfo } from '../types/mesh-config';
import type { TelemetrySnapshot } from '../types/telemetry';
import type { Finding } from '../types/validation';
import type { SidecarState, WorkloadListItem } from '../types/workloads';
import { appliedConfig, findingCounts } from './applied-config';

function sidecarState(workload: WorkloadInfo, config: ConfigSnapshot): SidecarState {
  const pods = config.pods.filter(
    (pod) =>
      pod.namespace === workload.namespace && pod.workload === workload.name && pod.phase === 'Running',
  );
  if (pods.length === 0) return workload.sidecar ? 'present' : 'no-pods';
  const withSidecar = pods.filter((pod) => pod.sidecar).length;
  if (withSidecar === pods.length) return 'present';
  return withSidecar === 0 ? 'missing' : 'partial';
}

/** Inbound p95 per workload (`NS/NAME`), milliseconds, from the window's duration buckets. */
export function inboundP95(telemetry: TelemetrySnapshot | null): Map<string, number> {
  const buckets = new Map<string, Map<number, number>>();
  for (const sample of telemetry?.durations ?? []) {
    const key = `${sample.destination.namespace}/${sample.destination.workload}`;
    const merged = buckets.get(key) ?? new Map<number, number>();
    for (const bucket of sample.buckets) merged.set(bucket.le, (merged.get(bucket.le) ?? 0) + bucket.rate);
    buckets.set(key, merged);
  }
  const result = new Map<string, number>();
  for (const [key, merged] of buckets) {
    const value = histogramQuantile(
      0.95,
      [...merged].map(([le, rate]) => ({ le, rate })),
    );
    if (Number.isFinite(value)) result.set(key, Math.round(value * 10) / 10);
  }
  return result;
}

export interface WorkloadListInput {
  config: ConfigSnapshot;
  namespaces: readonly string[];
  /** nodes of a `workload` graph built from the same snapshot */
  nodes: readonly GraphNode[];
  telemetry: TelemetrySnapshot | null;
  findings: readonly Finding[];
}

export function workloadList(input: WorkloadListInput): WorkloadListItem[] {
  const index = indexConfig(input.config);
  const asked = new Set(input.namespaces);
  const nodes = new Map<string, GraphNode>();
  for (const node of input.nodes)
    if (node.kind === 'workload' && node.workload) nodes.set(`${node.namespace}/${node.workload}`, node);
  const p95 = inboundP95(input.telemetry);
  const hasTelemetry = input.telemetry !== null;
  return input.config.workloads
    .filter((workload) => asked.size === 0 || asked.has(workload.namespace))
    .map((workload): WorkloadListItem => {
      const key = `${workload.namespace}/${workload.name}`;
      const node = nodes.get(key);
      const applied = appliedConfig(index, workload);
      const inbound = node?.traffic.inboundRps ?? 0;
      return {
        namespace: workload.namespace,
        name: workload.name,
        kind: workload.kind,
        app: workload.app,
        version: workload.version,
        labels: workload.labels,
        pods: workload.pods,
        desiredReplicas: workload.desiredReplicas,
        readyReplicas: workload.readyReplicas,
        sidecar: sidecarState(workload, input.config),
        health: node?.health.status ?? (hasTelemetry ? 'idle' : 'na'),
        ...(node?.health.reason ? { healthReason: node.health.reason } : {}),
        requestRate: hasTelemetry ? inbound : null,
        outboundRate: hasTelemetry ? (node?.traffic.outboundRps ?? 0) : null,
        errorRate: hasTelemetry && inbound > 0 ? (node?.traffic.inboundErrorRate ?? 0) : null,
        p95: p95.get(key) ?? null,
        istioConfig: applied,
        findings: findingCounts(applied, input.findings),
      };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
