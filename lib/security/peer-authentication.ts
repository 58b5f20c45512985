/**
 * The effective server-side mTLS mode, as Istio resolves PeerAuthentications: a port-level mode
 * (`portLevelMtls`, only in a policy with a selector) over the workload's policy, over the
 * namespace-wide policy, over the mesh-wide policy (root namespace, no selector), over Istio's
 * default PERMISSIVE. `UNSET` (or no `mtls`) inherits from the level above. Where several policies
 * sit at one level Istio takes the oldest.
 */

import type { ConfigSnapshot, IstioObject, WorkloadInfo } from '../types/mesh-config';
import type { EffectiveMode, ModeOrigin, PeerMode } from '../types/security';
import { labelsMatch, ofKind, oldestFirst, record, refOf, selectorOf } from './spec';

export type DeclaredMode = PeerMode | 'UNSET';

const MODES: readonly string[] = ['STRICT', 'PERMISSIVE', 'DISABLE', 'UNSET'];

/** A `{mode}` block's mode: absent means UNSET; `invalid` carries a value Istio does not know. */
export function declaredMode(value: unknown): { mode: DeclaredMode; invalid?: string } {
  const mode = record(value).mode;
  if (mode === undefined || mode === null) return { mode: 'UNSET' };
  if (typeof mode === 'string' && MODES.includes(mode)) return { mode: mode as DeclaredMode };
  return { mode: 'UNSET', invalid: String(mode) };
}

/** `portLevelMtls` as port number and mode. Keys that are not ports are skipped. */
export function portLevelModes(
  policy: IstioObject,
): { port: number; mode: DeclaredMode; invalid?: string }[] {
  return Object.entries(record(policy.spec.portLevelMtls))
    .map(([key, value]) => ({ port: Number(key), ...declaredMode(value) }))
    .filter((entry) => Number.isInteger(entry.port) && entry.port > 0)
    .sort((a, b) => a.port - b.port);
}

export const DEFAULT_MODE: EffectiveMode = { mode: 'PERMISSIVE', origin: { level: 'default' } };

/** The PeerAuthentications of a snapshot, by level; each list oldest first. */
export class PeerAuthentications {
  readonly mesh: IstioObject[];
  private readonly namespaceWide = new Map<string, IstioObject[]>();
  private readonly withSelector = new Map<string, IstioObject[]>();
  private readonly rootNamespace: string;

  constructor(snapshot: Pick<ConfigSnapshot, 'istio' | 'rootNamespace'>) {
    this.rootNamespace = snapshot.rootNamespace;
    const policies = ofKind(snapshot as ConfigSnapshot, 'PeerAuthentication').sort(oldestFirst);
    this.mesh = policies.filter(
      (policy) => policy.namespace === snapshot.rootNamespace && selectorOf(policy) === undefined,
    );
    for (const policy of policies) {
      const target = selectorOf(policy) === undefined ? this.namespaceWide : this.withSelector;
      if (policy.namespace === snapshot.rootNamespace && target === this.namespaceWide) continue;
      const list = target.get(policy.namespace) ?? [];
      list.push(policy);
      target.set(policy.namespace, list);
    }
  }

  /** The namespace-wide policies of `namespace`, oldest first (the root namespace's are mesh-wide). */
  namespacePolicies(namespace: string): IstioObject[] {
    return namespace === this.rootNamespace ? this.mesh : (this.namespaceWide.get(namespace) ?? []);
  }

  /** The policies with a selector that select `workload` (same namespace only), oldest first. */
  workloadPolicies(workload: Pick<WorkloadInfo, 'namespace' | 'labels'>): IstioObject[] {
    return (this.withSelector.get(workload.namespace) ?? []).filter((policy) =>
      labelsMatch(selectorOf(policy) ?? {}, workload.labels),
    );
  }

  /** Every policy with a selector in `namespace`. */
  selectorPolicies(namespace: string): IstioObject[] {
    return this.withSelector.get(namespace) ?? [];
  }

  meshMode(): EffectiveMode {
    return resolve(this.mesh[0], 'mesh', DEFAULT_MODE);
  }

  namespaceMode(namespace: string): EffectiveMode {
    if (namespace === this.rootNamespace) return this.meshMode();
    return resolve(this.namespaceWide.get(namespace)?.[0], 'namespace', this.meshMode());
  }

  workloadMode(workload: Pick<WorkloadInfo, 'namespace' | 'labels'>): EffectiveMode {
    return resolve(this.workloadPolicies(workload)[0], 'workload', this.namespaceMode(workload.namespace));
  }

  /** The mode of a workload's port: the workload policy's `portLevelMtls` entry, else the workload's. */
  portMode(workload: Pick<WorkloadInfo, 'namespace' | 'labels'>, port: number): EffectiveMode {
    const inherited = this.workloadMode(workload);
    const policy = this.workloadPolicies(workload)[0];
    if (!policy) return inherited;
    const entry = declaredMode(record(record(policy.spec.portLevelMtls)[String(port)]));
    if (entry.mode === 'UNSET') return inherited;
    return {
      mode: entry.mode,
      origin: { level: 'port', policy: refOf(policy), path: `spec.portLevelMtls.${port}.mode` },
    };
  }
}

function resolve(
  policy: IstioObject | undefined,
  level: ModeOrigin['level'],
  parent: EffectiveMode,
): EffectiveMode {
  if (!policy) return parent;
  const { mode } = declaredMode(policy.spec.mtls);
  if (mode === 'UNSET') return parent;
  return { mode, origin: { level, policy: refOf(policy), path: 'spec.mtls.mode' } };
}

/** The origin in words: "PeerAuthentication default/strict (workload)", "Istio's default". */
export function describeOrigin(origin: ModeOrigin): string {
  if (!origin.policy) return "Istio's default (no PeerAuthentication sets a mode)";
  const level = origin.level === 'port' ? 'port level' : `${origin.level} level`;
  return `PeerAuthentication ${origin.policy.namespace}/${origin.policy.name} (${level})`;
}
