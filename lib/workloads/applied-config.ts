/**
 * The Istio objects that apply to a workload: VirtualServices and DestinationRules of the
 * services in front of it, Gateways run by it, and the workload-scoped kinds (authorization,
 * peer and request authentication, Sidecar, EnvoyFilter, Telemetry) in its namespace or the root
 * namespace, with a selector that picks it or none.
 */
import type { ConfigIndex } from '../graph/config-index';
import type { IstioObject, WorkloadInfo } from '../types/mesh-config';
import type { Finding } from '../types/validation';
import type { AppliedConfig, FindingCounts } from '../types/workloads';

const workloadScoped = new Set([
  'AuthorizationPolicy',
  'PeerAuthentication',
  'RequestAuthentication',
  'Sidecar',
  'EnvoyFilter',
  'Telemetry',
]);

function selectorOf(object: IstioObject): Record<string, string> | undefined {
  const spec = object.spec as { selector?: unknown; workloadSelector?: unknown };
  const holder = (
    object.kind === 'Sidecar' || object.kind === 'EnvoyFilter' ? spec.workloadSelector : spec.selector
  ) as { matchLabels?: unknown; labels?: unknown } | undefined;
  const labels = (holder?.matchLabels ?? holder?.labels) as Record<string, unknown> | undefined;
  if (!labels || typeof labels !== 'object') return undefined;
  const entries = Object.entries(labels).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function hasTargetRef(object: IstioObject): boolean {
  const spec = object.spec as { targetRef?: unknown; targetRefs?: unknown };
  return spec.targetRef !== undefined || (Array.isArray(spec.targetRefs) && spec.targetRefs.length > 0);
}

export function appliedConfig(index: ConfigIndex, workload: WorkloadInfo): AppliedConfig[] {
  const found = new Map<string, AppliedConfig>();
  const add = (object: IstioObject, via: string) => {
    const key = `${object.kind}/${object.namespace}/${object.name}`;
    if (!found.has(key))
      found.set(key, { kind: object.kind, namespace: object.namespace, name: object.name, via });
  };
  for (const service of index.servicesOfWorkload(workload)) {
    for (const object of index.virtualServicesFor(service.fqdn)) add(object, `service ${service.name}`);
    for (const object of index.destinationRulesFor(service.fqdn)) add(object, `service ${service.name}`);
  }
  const root = index.config.rootNamespace;
  for (const object of index.config.istio) {
    if (object.kind === 'Gateway') {
      const selector = selectorOf(object);
      if (selector && matches(selector, workload.labels)) add(object, `selector ${selectorText(selector)}`);
      continue;
    }
    if (!workloadScoped.has(object.kind) || hasTargetRef(object)) continue;
    if (object.namespace !== workload.namespace && object.namespace !== root) continue;
    const selector = selectorOf(object);
    if (selector === undefined)
      add(object, object.namespace === root && root !== workload.namespace ? 'mesh-wide' : 'namespace-wide');
    else if (matches(selector, workload.labels)) add(object, `selector ${selectorText(selector)}`);
  }
  return [...found.values()];
}

/** Findings of the applied objects, by severity. */
export function findingCounts(
  applied: readonly AppliedConfig[],
  findings: readonly Finding[],
): FindingCounts {
  const keys = new Set(applied.map((object) => `${object.kind}/${object.namespace}/${object.name}`));
  const counts: FindingCounts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) {
    if (keys.has(`${finding.object.kind}/${finding.object.namespace}/${finding.object.name}`))
      counts[finding.severity] += 1;
  }
  return counts;
}
