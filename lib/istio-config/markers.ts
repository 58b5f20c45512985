/** Editor markers: findings at the ranges of their paths, and YAML syntax errors. */
import type { Finding } from '../types/validation';
import { parsePath } from './paths';
import { rangeOfPath, type TextRange } from './yaml-ranges';
import type { ParsedYaml } from './yaml-text';

export interface EditorMarker extends TextRange {
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** what reported it: `syntax`, or the finding's code */
  source: string;
}

/** A finding's label in markers and lists: Istio's code when there is one, else ours. */
export function findingLabel(finding: Finding): string {
  return [finding.istioCode, finding.kialiCode].filter(Boolean).join('/') || finding.code;
}

/** One marker per finding whose path the text has (or whose parent it has); the rest are left out. */
export function findingMarkers(text: string, findings: readonly Finding[]): EditorMarker[] {
  const markers: EditorMarker[] = [];
  for (const finding of findings) {
    const range = rangeOfPath(text, parsePath(finding.path));
    if (!range) continue;
    markers.push({
      ...range,
      severity: finding.severity,
      message: `${findingLabel(finding)}: ${finding.message}`,
      source: finding.code,
    });
  }
  return markers;
}

export function syntaxMarkers(parsed: ParsedYaml): EditorMarker[] {
  if (parsed.ok) return [];
  return parsed.errors.map((error) => ({
    from: error.from,
    to: error.to,
    severity: 'error',
    message: `YAML: ${error.message}`,
    source: 'syntax',
  }));
}
