import { describe, expect, it } from 'vitest';
import { findings, namespace } from '../test-support';

describe('namespace-injection', () => {
  it('accepts one injection label, a deliberate opt-out, ambient and system namespaces', () => {
    const manifests =
      namespace('enabled') +
      namespace('canary', { 'istio.io/rev': 'canary' }) +
      namespace('off', { 'istio-injection': 'disabled', 'istio.io/rev': 'canary' }) +
      namespace('ambient', { 'istio.io/dataplane-mode': 'ambient' }) +
      namespace('istio-system', {}) +
      namespace('kube-system', {});
    expect(findings(manifests, 'namespace.')).toEqual([]);
  });

  it('reports namespaces without injection label and with several', () => {
    const manifests =
      namespace('bar', {}) +
      namespace('busted', { 'istio-injection': 'enabled', 'istio.io/rev': 'canary' }) +
      namespace('mixed', { 'istio.io/rev': 'canary', 'istio.io/dataplane-mode': 'ambient' });
    expect(findings(manifests, 'namespace.')).toEqual([
      'namespace.injection.missing Namespace bar metadata.labels IST0102',
      'namespace.injection.multiple-labels Namespace busted metadata.labels IST0123',
      'namespace.injection.multiple-labels Namespace mixed metadata.labels IST0123',
    ]);
  });

  it('says the namespace is injected anyway when the injector enables namespaces by default', async () => {
    const { snapshotOf } = await import('../test-support');
    const { validate } = await import('../validate');
    const snapshot = snapshotOf(namespace('bar', {}));
    snapshot.mesh = { injectNamespacesByDefault: true };
    expect(validate(snapshot).map((finding) => `${finding.code} ${finding.istioCode}`)).toEqual([
      'namespace.injection.enabled-by-default IST0148',
    ]);
  });
});
