/**
 * How many hosts outlier detection may eject at once. Envoy ejects a host when the share ejected
 * after it stays within `max_ejection_percent` (`100 × (active + 1) / hosts ≤ max`), and, as its
 * documentation promises, always at least one (`always_eject_one_host`).
 */
export function maxEjectable(hosts: number, maxEjectionPercent: number): number {
  if (hosts <= 0) return 0;
  return Math.min(hosts, Math.max(1, Math.floor((hosts * maxEjectionPercent) / 100)));
}

export interface EjectionCount {
  ejected: number;
  total: number;
  /** null without outlier detection */
  maxEjectable: number | null;
  atLimit: boolean;
}

export function ejectionCount(
  ejected: number,
  total: number,
  maxEjectionPercent: number | null,
): EjectionCount {
  const limit = maxEjectionPercent === null ? null : maxEjectable(total, maxEjectionPercent);
  return { ejected, total, maxEjectable: limit, atLimit: limit !== null && total > 0 && ejected >= limit };
}

/** `1 of 3 pods ejected`, `no pod ejected`. */
export function ejectedText(ejected: number, pods: number): string {
  if (pods === 0) return 'no pods';
  if (ejected === 0) return `${pods === 1 ? 'the pod is' : `all ${pods} pods are`} in service`;
  return `${ejected} of ${pods} pod${pods === 1 ? '' : 's'} ejected`;
}
