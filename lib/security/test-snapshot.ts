/**
 * Small hand-made configuration snapshots for the unit tests of lib/security (the integration
 * tests in server/ read the simulator's). Not used by product code.
 */
import type {
  ConfigSnapshot,
  IstioKind,
  IstioObject,
  MeshSettings,
  ServiceInfo,
  WorkloadInfo,
} from '../types/mesh-config';

let version = 100;

export function workload(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  options: { sidecar?: boolean; serviceAccount?: string } = {},
): WorkloadInfo {
  return {
    namespace,
    name,
    kind: 'Deployment',
    app: labels.app ?? name,
    version: labels.version ?? '',
    labels,
    serviceAccount: options.serviceAccount ?? labels.app ?? 'default',
    desiredReplicas: 1,
    readyReplicas: 1,
    pods: 1,
    sidecar: options.sidecar ?? true,
    outlierStatsEnabled: false,
  };
}

export function service(
  namespace: string,
  name: string,
  selector: Record<string, string>,
  ports: { port: number; targetPort?: number; name?: string }[],
): ServiceInfo {
  return {
    namespace,
    name,
    fqdn: `${name}.${namespace}.svc.cluster.local`,
    selector,
    ports: ports.map((port) => ({
      name: port.name ?? 'http',
      port: port.port,
      targetPort: port.targetPort ?? port.port,
      protocol: 'TCP',
    })),
    labels: {},
  };
}

/** An Istio object; each call gets a higher resourceVersion (younger), unless one is given. */
export function istio(
  kind: IstioKind,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  options: { annotations?: Record<string, string>; resourceVersion?: string } = {},
): IstioObject {
  version += 1;
  return {
    kind,
    apiVersion: kind.endsWith('Rule') ? 'networking.istio.io/v1' : 'security.istio.io/v1',
    namespace,
    name,
    resourceVersion: options.resourceVersion ?? String(version),
    labels: {},
    annotations: options.annotations ?? {},
    spec,
  };
}

export function snapshotOf(parts: {
  workloads?: WorkloadInfo[];
  services?: ServiceInfo[];
  istio?: IstioObject[];
  mesh?: MeshSettings;
  namespaces?: string[];
}): ConfigSnapshot {
  const workloads = parts.workloads ?? [];
  const names = parts.namespaces ?? [...new Set(workloads.map((entry) => entry.namespace))];
  return {
    namespaces: names.map((name) => ({ name, labels: {} })),
    services: parts.services ?? [],
    workloads,
    pods: workloads.map((entry, index) => ({
      namespace: entry.namespace,
      name: `${entry.name}-pod`,
      labels: entry.labels,
      annotations: {},
      serviceAccount: entry.serviceAccount,
      phase: 'Running',
      podIP: `10.1.0.${index + 1}`,
      containers: entry.sidecar ? ['app', 'istio-proxy'] : ['app'],
      sidecar: entry.sidecar,
      workload: entry.name,
    })),
    rootNamespace: 'istio-system',
    istio: parts.istio ?? [],
    asOf: new Date(0).toISOString(),
    ...(parts.mesh ? { mesh: parts.mesh } : {}),
  };
}
