import type { ApiWarning } from './api';

/** `status.phase` of a Namespace; `Unknown` when the server did not report one. */
export type NamespacePhase = 'Active' | 'Terminating' | 'Unknown';

/**
 * Whether Istio injects sidecars into new pods of a namespace, from its labels:
 * - `enabled`: `istio-injection=enabled` (the default revision injects);
 * - `revision`: `istio.io/rev=REVISION` (that control-plane revision injects);
 * - `disabled`: `istio-injection=disabled`, which wins over `istio.io/rev`;
 * - `none`: neither label is set (no injection unless the mesh injects by default).
 */
export type SidecarInjection =
  | { mode: 'enabled' }
  | { mode: 'revision'; revision: string }
  | { mode: 'disabled' }
  | { mode: 'none' };

export interface NamespaceSummary {
  name: string;
  phase: NamespacePhase;
  /** ISO 8601 creation time, or null when the server did not report one */
  createdAt: string | null;
  injection: SidecarInjection;
  labels: Record<string, string>;
}

/** `GET /api/namespaces` */
export interface NamespacesResponse {
  namespaces: NamespaceSummary[];
  warnings: ApiWarning[];
}
