/** Builders for the Kubernetes objects scenarios are made of. */
import type { KubeObject } from '../cluster/types';

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function serviceAccount(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } };
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort?: number;
  protocol?: string;
  nodePort?: number;
}

export function service(
  namespace: string,
  name: string,
  ports: ServicePort[],
  options: { selector?: Record<string, string>; labels?: Record<string, string>; type?: string } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: options.labels ?? { app: name, service: name } },
    spec: {
      type: options.type ?? 'ClusterIP',
      selector: options.selector ?? { app: name },
      ports: ports.map((port) => ({ protocol: 'TCP', targetPort: port.port, ...port })),
    },
  };
}

export interface WorkloadSpec {
  namespace: string;
  app: string;
  version?: string;
  serviceAccount: string;
  image: string;
  ports: number[];
  replicas?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  env?: { name: string; value: string }[];
}

/** A Deployment named `app-version` (or `app` without a version), labelled as Istio expects. */
export function deployment(spec: WorkloadSpec): KubeObject {
  const name = spec.version ? `${spec.app}-${spec.version}` : spec.app;
  const selector: Record<string, string> = spec.version
    ? { app: spec.app, version: spec.version }
    : { app: spec.app };
  const container: Record<string, unknown> = {
    name: spec.app,
    image: spec.image,
    imagePullPolicy: 'IfNotPresent',
    ports: spec.ports.map((port) => ({ containerPort: port, protocol: 'TCP' })),
  };
  if (spec.env) container.env = spec.env;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: spec.namespace, labels: { ...selector, ...spec.labels } },
    spec: {
      replicas: spec.replicas ?? 1,
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels: { ...selector, ...spec.labels },
          ...(spec.annotations ? { annotations: spec.annotations } : {}),
        },
        spec: { serviceAccountName: spec.serviceAccount, containers: [container] },
      },
    },
  };
}

export function istioObject(
  apiVersion: string,
  kind: string,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  labels?: Record<string, string>,
): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec };
}
