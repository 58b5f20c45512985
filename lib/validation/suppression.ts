import type { Finding, FindingObject, IgnoreRule } from '../types/validation';

/** Istio's per-object suppression: a comma list of codes, or `*` for every code. */
export const SUPPRESS_ANNOTATION = 'galley.istio.io/analyze-suppress';

/** `Kind ns/name`, or `Kind name` for cluster-scoped objects: Istio's name for a message's origin. */
export function resourceName(object: FindingObject): string {
  return object.namespace
    ? `${object.kind} ${object.namespace}/${object.name}`
    : `${object.kind} ${object.name}`;
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** Decides which findings to drop: the object's suppress annotation and the configured ignore list. */
export function createSuppressor(
  ignore: readonly IgnoreRule[] = [],
): (finding: Finding, annotations: Readonly<Record<string, string>> | undefined) => boolean {
  const rules = ignore.map((rule) => ({
    code: rule.code,
    resource: rule.resource ? glob(rule.resource) : undefined,
  }));
  return (finding, annotations) => {
    const codes = [finding.code, finding.istioCode, finding.kialiCode];
    const annotation = annotations?.[SUPPRESS_ANNOTATION];
    if (annotation) {
      const listed = annotation.split(',').map((entry) => entry.trim());
      if (listed.includes('*') || listed.some((code) => codes.includes(code))) return true;
    }
    if (rules.length === 0) return false;
    const name = resourceName(finding.object);
    return rules.some((rule) => codes.includes(rule.code) && (!rule.resource || rule.resource.test(name)));
  };
}
