import { describe, expect, it } from 'vitest';
import { writeOwner } from './ownership';

describe('writeOwner', () => {
  it('names Flagger and Argo Rollouts from owner references and field managers', () => {
    expect(
      writeOwner({
        ownerReferences: [{ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', name: 'reviews' }],
      })?.owner,
    ).toBe('Canary reviews');
    expect(
      writeOwner({ ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'shop' }] })
        ?.controller,
    ).toBe('Argo Rollouts');
    expect(writeOwner({ managedFields: [{ manager: 'kubectl' }, { manager: 'flagger' }] })?.controller).toBe(
      'Flagger',
    );
  });

  it('names GitOps trackers from their labels and annotations', () => {
    expect(
      writeOwner({
        annotations: {
          'argocd.argoproj.io/tracking-id': 'shop:networking.istio.io/VirtualService:default/reviews',
        },
      })?.owner,
    ).toBe('Application shop');
    expect(
      writeOwner({
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
      })?.owner,
    ).toBe('Kustomization flux-system/apps');
    expect(writeOwner({ labels: { 'helm.toolkit.fluxcd.io/name': 'mesh' } })?.reason).toContain(
      'Flux syncs this object from Git',
    );
  });

  it('leaves objects nobody else writes editable', () => {
    expect(
      writeOwner({ labels: { app: 'reviews' }, managedFields: [{ manager: 'kubectl-client-side-apply' }] }),
    ).toBeUndefined();
  });
});
