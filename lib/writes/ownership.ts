/**
 * Who else writes an object. A VirtualService whose weights a controller owns (Flagger, Argo
 * Rollouts) would be overwritten within seconds, and one tracked by GitOps (Argo CD, Flux) would be
 * reverted: the dashboard shows such objects read-only and names the owner.
 */

export interface OwnedObjectMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string }[];
  managedFields?: { manager?: string }[];
}

export interface WriteOwner {
  /** `Flagger`, `Argo Rollouts`, `Argo CD`, `Flux` */
  controller: string;
  /** what names the owner, e.g. `Canary podinfo` or `Application shop` */
  owner: string;
  /** the sentence shown next to the disabled controls */
  reason: string;
}

function reason(controller: string, owner: string, what: string): WriteOwner {
  return {
    controller,
    owner,
    reason: `${controller} ${what} (${owner}); change it there, or it will undo edits made here.`,
  };
}

/** The controller that owns this object's routing, or undefined when a person may edit it. */
export function writeOwner(metadata: OwnedObjectMetadata): WriteOwner | undefined {
  const labels = metadata.labels ?? {};
  const annotations = metadata.annotations ?? {};
  for (const reference of metadata.ownerReferences ?? []) {
    if (reference.apiVersion.startsWith('flagger.app/'))
      return reason('Flagger', `${reference.kind} ${reference.name}`, 'manages these weights');
    if (reference.apiVersion.startsWith('argoproj.io/') && reference.kind === 'Rollout') {
      return reason('Argo Rollouts', `Rollout ${reference.name}`, 'manages these weights');
    }
  }
  if ((metadata.managedFields ?? []).some((entry) => entry.manager === 'flagger'))
    return reason('Flagger', 'field manager flagger', 'manages these weights');
  if (
    (metadata.managedFields ?? []).some(
      (entry) => entry.manager === 'argo-rollouts' || entry.manager === 'rollouts-controller',
    )
  ) {
    return reason('Argo Rollouts', 'field manager argo-rollouts', 'manages these weights');
  }
  const argoTracking = annotations['argocd.argoproj.io/tracking-id'];
  if (argoTracking)
    return reason(
      'Argo CD',
      `Application ${argoTracking.split(':')[0] ?? argoTracking}`,
      'syncs this object from Git',
    );
  const argoInstance = labels['argocd.argoproj.io/instance'];
  if (argoInstance) return reason('Argo CD', `Application ${argoInstance}`, 'syncs this object from Git');
  const kustomization = labels['kustomize.toolkit.fluxcd.io/name'];
  if (kustomization) {
    return reason(
      'Flux',
      `Kustomization ${labels['kustomize.toolkit.fluxcd.io/namespace'] ?? ''}/${kustomization}`.replace(
        ' /',
        ' ',
      ),
      'syncs this object from Git',
    );
  }
  const helmRelease = labels['helm.toolkit.fluxcd.io/name'];
  if (helmRelease)
    return reason(
      'Flux',
      `HelmRelease ${labels['helm.toolkit.fluxcd.io/namespace'] ?? ''}/${helmRelease}`.replace(' /', ' '),
      'syncs this object from Git',
    );
  return undefined;
}
