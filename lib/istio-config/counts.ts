import type { FindingCounts, SeverityCounts } from '../types/config';
import type { Finding, FindingObject, FindingSeverity } from '../types/validation';

export const SEVERITIES = ['error', 'warning', 'info'] as const satisfies readonly FindingSeverity[];

export function emptyCounts(): SeverityCounts {
  return { error: 0, warning: 0, info: 0 };
}

/** `Kind/namespace/name`: one object's key in finding maps. */
export function objectKeyOf(object: FindingObject): string {
  return `${object.kind}/${object.namespace}/${object.name}`;
}

/** Totals per severity and per namespace (sorted by name). */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  const bySeverity = emptyCounts();
  const byNamespace = new Map<string, SeverityCounts>();
  for (const finding of findings) {
    bySeverity[finding.severity] += 1;
    // A Namespace's own findings count for that namespace.
    const namespace = finding.object.kind === 'Namespace' ? finding.object.name : finding.object.namespace;
    const counts = byNamespace.get(namespace) ?? emptyCounts();
    counts[finding.severity] += 1;
    byNamespace.set(namespace, counts);
  }
  return {
    total: findings.length,
    bySeverity,
    byNamespace: [...byNamespace.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([namespace, counts]) => ({ namespace, ...counts })),
  };
}

/** Findings per object key. */
export function countsByObject(findings: readonly Finding[]): Map<string, SeverityCounts> {
  const result = new Map<string, SeverityCounts>();
  for (const finding of findings) {
    const key = objectKeyOf(finding.object);
    const counts = result.get(key) ?? emptyCounts();
    counts[finding.severity] += 1;
    result.set(key, counts);
  }
  return result;
}

/** The most severe level among counts, or undefined when there is none. */
export function worstSeverity(counts: SeverityCounts): FindingSeverity | undefined {
  return SEVERITIES.find((severity) => counts[severity] > 0);
}

/** Whether a finding is at least as severe as `minimum`. */
export function atLeast(severity: FindingSeverity, minimum: FindingSeverity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(minimum);
}
