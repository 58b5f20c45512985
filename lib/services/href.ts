/** Links to the service and gateway pages, for any page that names a service. */

export function serviceHref(namespace: string, name: string): string {
  return `/services/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

export function workloadHref(namespace: string, name: string): string {
  return `/workloads/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/** Where a graph node of a neighbourhood leads: its service or workload page; nowhere for unknown callers. */
export function nodeHref(node: {
  kind: string;
  namespace: string;
  name: string;
  workload?: string;
  service?: string;
}): string | undefined {
  if (node.kind === 'service') return serviceHref(node.namespace, node.service ?? node.name);
  if (node.kind === 'workload') return workloadHref(node.namespace, node.workload ?? node.name);
  if (node.kind === 'serviceentry') return `/serviceentries?namespaces=${encodeURIComponent(node.namespace)}`;
  return undefined;
}
