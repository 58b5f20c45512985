import type { SidecarInjection } from '../types/namespace';

export const INJECTION_LABEL = 'istio-injection';
export const REVISION_LABEL = 'istio.io/rev';

/**
 * Reads sidecar injection from a namespace's labels the way Istio's injector webhooks select
 * namespaces: `istio-injection` takes precedence over `istio.io/rev` when both are set.
 */
export function sidecarInjectionFromLabels(labels: Readonly<Record<string, string>>): SidecarInjection {
  const injection = labels[INJECTION_LABEL];
  if (injection === 'enabled') return { mode: 'enabled' };
  if (injection === 'disabled') return { mode: 'disabled' };
  const revision = labels[REVISION_LABEL];
  if (revision) return { mode: 'revision', revision };
  return { mode: 'none' };
}

/** A short label for tables: `enabled`, `rev canary`, `disabled` or `none`. */
export function describeInjection(injection: SidecarInjection): string {
  switch (injection.mode) {
    case 'enabled':
      return 'enabled';
    case 'revision':
      return `rev ${injection.revision}`;
    case 'disabled':
      return 'disabled';
    case 'none':
      return 'none';
  }
}
