import type { IstioObject, PodInfo } from '../../types/mesh-config';
import { type CheckContext, defineChecker, ref } from '../checker';
import { isWildcardHost } from '../hosts';
import { isEmptySelector, selectorMatches, selectorText } from '../labels';
import type { MeshIndex } from '../mesh-index';
import type { RegistryEntry } from '../registry';
import { labelMap, records, text } from '../spec';
import { exportedNamespaces } from './vs-destination-hosts';

/** Node labels Istio copies onto endpoints (`pilot/pkg/serviceregistry/util/label`). */
const TOPOLOGY_LABELS = [
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'topology.istio.io/subzone',
] as const;
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

function isTopologyLabel(key: string): boolean {
  return key === HOSTNAME_LABEL || (TOPOLOGY_LABELS as readonly string[]).includes(key);
}

function withTopology(pod: PodInfo, index: MeshIndex): Record<string, string> {
  const node = pod.nodeName ? index.nodes?.get(pod.nodeName) : undefined;
  if (!pod.nodeName || !node) return pod.labels;
  const labels: Record<string, string> = { ...pod.labels, [HOSTNAME_LABEL]: pod.nodeName };
  for (const key of TOPOLOGY_LABELS) {
    const value = node[key];
    if (value) labels[key] = value;
  }
  return labels;
}

/** Hosts that stand for the whole mesh (mesh-wide DestinationRules, typically for mTLS). */
export function isMeshWideHost(host: string, clusterDomain: string): boolean {
  return (
    host === '*' || host === '*.local' || host === `*.${clusterDomain}` || host === `*.svc.${clusterDomain}`
  );
}

/** Whether some endpoint of `entry` carries `labels`; undefined when that cannot be known. */
function subsetHasEndpoints(
  entry: RegistryEntry,
  labels: Record<string, string>,
  index: MeshIndex,
): boolean | undefined {
  let base: Readonly<Record<string, string>>;
  if (entry.source.kind === 'Service') base = entry.source.service.selector;
  else if (entry.workloadSelector) base = entry.workloadSelector;
  else {
    const endpoints = records(entry.source.object.spec.endpoints);
    if (endpoints.length === 0) return undefined;
    return endpoints.some((endpoint) => selectorMatches(labels, labelMap(endpoint.labels)));
  }
  if (isEmptySelector(base)) return undefined;
  const topology = Object.keys(labels).filter(isTopologyLabel);
  if (topology.length > 0 && !index.nodes) return undefined;
  const plain: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(labels)) if (!isTopologyLabel(key)) plain[key] = value;
  const namespace = entry.namespace;
  const pods = index.pods.some(namespace, plain, (pod) => {
    if (!selectorMatches(base, pod.labels)) return false;
    if (topology.length === 0) return true;
    const augmented = withTopology(pod, index);
    return topology.every((key) => augmented[key] === labels[key]);
  });
  if (pods) return true;
  return topology.length === 0 && index.workloadEntries.some(namespace, { ...base, ...labels });
}

/**
 * The DestinationRule host must be a Service or ServiceEntry host visible from it (IST0174,
 * KIA0202); wildcard hosts must cover at least one. Each subset must select at least one pod of
 * that host (IST0173, KIA0203): pods the Service selects (or the ServiceEntry's workloadSelector,
 * or its endpoints) that also carry the subset labels, with the node topology labels Istio adds
 * when the snapshot lists nodes. Stricter than `istioctl analyze`, which accepts a pod anywhere.
 */
export const drHost = defineChecker({
  id: 'dr-host',
  kind: 'DestinationRule',
  check(rule, context) {
    const { index } = context;
    const written = text(rule.spec.host) ?? '';
    const host = index.fqdn(written, rule.namespace);
    const namespaces = exportedNamespaces(rule);
    if (isWildcardHost(host)) {
      if (isMeshWideHost(host, index.clusterDomain)) return;
      if (namespaces.some((namespace) => index.registry.coveredBy(host, namespace).length > 0)) return;
      reportUnknownHost(rule, written, context, namespaces);
      return;
    }
    const entry = index.registry.resolve(host, namespaces);
    if (!entry) {
      reportUnknownHost(rule, written, context, namespaces);
      return;
    }
    records(rule.spec.subsets).forEach((subset, position) => {
      const labels = labelMap(subset.labels);
      if (isEmptySelector(labels)) return;
      if (subsetHasEndpoints(entry, labels, index) !== false) return;
      const base =
        entry.source.kind === 'Service'
          ? ` together with the Service selector ${selectorText(entry.source.service.selector)}`
          : entry.workloadSelector
            ? ` together with the ServiceEntry workloadSelector ${selectorText(entry.workloadSelector)}`
            : '';
      context.report(ref(rule), {
        code: 'dr.subset.no-pods',
        path: `spec.subsets[${position}].labels`,
        message:
          `Subset "${text(subset.name) ?? ''}" selects no pod of ${host} (labels ${selectorText(labels)}${base}). ` +
          'Traffic routed to this subset fails with 503 UH (no healthy upstream). Fix the subset labels, or deploy the workload version they name.',
      });
    });
  },
});

function reportUnknownHost(
  rule: IstioObject,
  written: string,
  context: CheckContext,
  namespaces: string[],
): void {
  context.report(ref(rule), {
    code: 'dr.host.not-found',
    path: 'spec.host',
    message:
      `Host "${written}" matches no Service or ServiceEntry visible from namespace ${namespaces.join(', ')}, so this DestinationRule applies to nothing. ` +
      "Fix the host (short names are relative to the DestinationRule's namespace), or create the Service or ServiceEntry.",
  });
}
