/**
 * The security page's words and groupings, kept pure so they are tested here and the components
 * only render: where a mode comes from, which cells of the mTLS matrix carry a mismatch, and which
 * workloads may be the plaintext callers that telemetry can only name `unknown`.
 */
import type {
  ModeOrigin,
  MtlsConflict,
  MtlsConflictCode,
  MtlsEdge,
  MtlsResponse,
  WorkloadMtls,
} from '../types/security';

/** "namespace PeerAuthentication default/strict (spec.mtls.mode)", "Istio's default". */
export function describeOrigin(origin: ModeOrigin): string {
  if (origin.level === 'default' || !origin.policy) return "Istio's default (no PeerAuthentication)";
  const level = origin.level === 'mesh' ? 'mesh-wide' : origin.level;
  const path = origin.path ? ` (${origin.path})` : '';
  return `${level} PeerAuthentication ${origin.policy.namespace}/${origin.policy.name}${path}`;
}

/** Conflicts that say traffic and configuration disagree, or that configuration breaks traffic. */
const MISMATCH_CODES: ReadonlySet<MtlsConflictCode> = new Set([
  'dr-disable-to-strict',
  'dr-tls-origination-to-strict',
  'dr-mutual-to-disable',
  'auto-mtls-to-disable',
  'dr-mutual-to-no-sidecar',
  'strict-without-client-mtls',
  'permissive-receives-plaintext',
  'strict-plaintext-failing',
  'strict-received-plaintext',
]);

export function isMismatch(conflict: MtlsConflict): boolean {
  return MISMATCH_CODES.has(conflict.code);
}

export interface MatrixCell {
  workload: WorkloadMtls;
  /** the cell's mode in one word: STRICT, PERMISSIVE, DISABLE, MIXED (ports differ) or "no sidecar" */
  label: string;
  /** mismatches of this workload (conflicts and plaintext edges), in words */
  mismatches: string[];
}

export interface MatrixRow {
  namespace: string;
  status: string;
  origin: ModeOrigin;
  cells: MatrixCell[];
}

const key = (namespace: string, workload: string) => `${namespace}/${workload}`;

/**
 * Workloads without a sidecar that could be the `unknown` plaintext callers: telemetry names a
 * caller without a sidecar only `unknown` (no proxy reports it), so its candidates are the listed
 * workloads without one that received no observed request themselves.
 */
function plaintextCallerCandidates(view: MtlsResponse): Set<string> {
  const unknownPlaintext = view.edges.some(
    (edge) => edge.source.workload === 'unknown' && edge.mtlsPercent < 100 && edge.mismatch,
  );
  if (!unknownPlaintext) return new Set();
  const destinations = new Set(
    view.edges.map((edge) => key(edge.destination.namespace, edge.destination.workload)),
  );
  return new Set(
    view.workloads
      .filter((workload) => !workload.sidecar && !destinations.has(key(workload.namespace, workload.name)))
      .filter((workload) => !workload.ports.some((port) => port.services.length > 0))
      .map((workload) => key(workload.namespace, workload.name)),
  );
}

function cellLabel(workload: WorkloadMtls): string {
  if (!workload.sidecar) return 'no sidecar';
  const modes = new Set([workload.mode, ...workload.ports.map((port) => port.mode)]);
  return modes.size > 1 ? 'MIXED' : workload.mode;
}

/** Where plaintext from callers without a sidecar went, for the candidates' cells. */
function unknownPlaintextWords(edges: readonly MtlsEdge[]): string {
  const targets = edges
    .filter((edge) => edge.source.workload === 'unknown' && edge.mismatch)
    .map((edge) => `${edge.destination.namespace}/${edge.destination.workload} (${edge.mismatch})`);
  return `Plaintext caller outside the mesh: requests from callers without a sidecar reached ${[...new Set(targets)].join(', ')}`;
}

/** The matrix: one row per namespace, one cell per workload, with each cell's mismatches. */
export function matrixRows(view: MtlsResponse): MatrixRow[] {
  const candidates = plaintextCallerCandidates(view);
  const conflictsOf = new Map<string, string[]>();
  for (const conflict of view.conflicts) {
    if (!conflict.workload || !isMismatch(conflict)) continue;
    const id = key(conflict.namespace, conflict.workload);
    conflictsOf.set(id, [...(conflictsOf.get(id) ?? []), conflict.message]);
  }
  return view.namespaces.map((namespace) => ({
    namespace: namespace.namespace,
    status: namespace.status,
    origin: namespace.origin,
    cells: view.workloads
      .filter((workload) => workload.namespace === namespace.namespace)
      .map((workload) => {
        const id = key(workload.namespace, workload.name);
        const mismatches = [...(conflictsOf.get(id) ?? [])];
        if (candidates.has(id)) mismatches.push(unknownPlaintextWords(view.edges));
        return { workload, label: cellLabel(workload), mismatches };
      }),
  }));
}

/** "3.2 of 4.2 req/s over mutual TLS (76 %)" */
export function describeObserved(workload: WorkloadMtls): string {
  const observed = workload.observed;
  if (!observed) return 'no requests observed in the window';
  return `${observed.mtlsRps.toFixed(2)} of ${observed.rps.toFixed(2)} req/s over mutual TLS (${Math.round(observed.mtlsPercent)} %)`;
}
