import type { PodInfo } from '../types/mesh-config';
import { LabelIndex } from './labels';
import type { MeshIndex } from './mesh-index';

export const INJECTION_LABEL = 'istio-injection';
export const REVISION_LABEL = 'istio.io/rev';
export const DATAPLANE_MODE_LABEL = 'istio.io/dataplane-mode';
export const SIDECAR_INJECT = 'sidecar.istio.io/inject';
export const AMBIENT_REDIRECTION = 'ambient.istio.io/redirection';

/** Namespaces no sidecar is ever injected into (`analyzers/util/config.go`). */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'local-path-storage',
]);

/** Ambient: `istio.io/dataplane-mode=ambient` without a sidecar injection label. */
export function isAmbientNamespace(labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!labels) return false;
  if (labels[INJECTION_LABEL] === 'enabled' || labels[REVISION_LABEL]) return false;
  return labels[DATAPLANE_MODE_LABEL] === 'ambient';
}

export function isAmbientPod(pod: PodInfo): boolean {
  return pod.annotations[AMBIENT_REDIRECTION] === 'enabled';
}

/**
 * Whether a pod belongs to the sidecar mesh, as `istioctl analyze` decides it: it has the proxy,
 * or its `sidecar.istio.io/inject` label (then annotation) says so, or its namespace is labelled
 * for injection (`istio-injection=enabled`, or a revision).
 */
export function isPodInMesh(pod: PodInfo, index: MeshIndex): boolean {
  if (pod.sidecar) return true;
  const label = pod.labels[SIDECAR_INJECT];
  if (label !== undefined) return label === 'true';
  const annotation = pod.annotations[SIDECAR_INJECT];
  if (annotation !== undefined) return annotation === 'true';
  const labels = index.namespaces.get(pod.namespace)?.labels;
  if (!labels) return false;
  const injection = labels[INJECTION_LABEL];
  return injection === 'enabled' || (injection === undefined && !!labels[REVISION_LABEL]);
}

const meshedPods = new WeakMap<MeshIndex, LabelIndex<PodInfo>>();

/** Pods in the mesh, by sidecar or ambient, indexed by namespace and labels (built once per index). */
export function meshPods(index: MeshIndex): LabelIndex<PodInfo> {
  let pods = meshedPods.get(index);
  if (!pods) {
    pods = new LabelIndex<PodInfo>(
      (pod) => pod.labels,
      (pod) => pod.namespace,
    );
    for (const pod of index.podList) if (isPodInMesh(pod, index) || isAmbientPod(pod)) pods.add(pod);
    meshedPods.set(index, pods);
  }
  return pods;
}
