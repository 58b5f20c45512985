import { describe, expect, it } from 'vitest';
import { injectionStatus } from './injection';

const base = {
  namespace: 'shop',
  namespaceLabels: {},
  podLabels: {},
  podAnnotations: {},
  hasSidecar: false,
};

describe('injectionStatus', () => {
  it('names the namespace label that injected the sidecar', () => {
    const status = injectionStatus({
      ...base,
      namespaceLabels: { 'istio-injection': 'enabled' },
      hasSidecar: true,
    });
    expect(status).toMatchObject({ injected: true, namespace: 'enabled' });
    expect(status.reason).toContain('istio-injection=enabled');
    const revision = injectionStatus({
      ...base,
      namespaceLabels: { 'istio.io/rev': 'canary' },
      hasSidecar: true,
    });
    expect(revision).toMatchObject({ namespace: 'revision', revision: 'canary' });
    expect(revision.reason).toContain('istio.io/rev=canary');
  });

  it('says why the sidecar is missing, in the order the injector decides', () => {
    expect(injectionStatus({ ...base, hostNetwork: true }).reason).toContain('host network');
    expect(injectionStatus({ ...base, namespace: 'kube-system' }).reason).toContain('never injects');
    expect(
      injectionStatus({
        ...base,
        namespaceLabels: { 'istio-injection': 'enabled' },
        podAnnotations: { 'sidecar.istio.io/inject': 'false' },
      }),
    ).toMatchObject({ podSetting: 'false', reason: expect.stringContaining('opts out') });
    expect(injectionStatus({ ...base, namespaceLabels: { 'istio-injection': 'disabled' } }).reason).toContain(
      'istio-injection=disabled',
    );
    expect(injectionStatus(base).reason).toContain('kubectl label namespace shop istio-injection=enabled');
    expect(injectionStatus({ ...base, injectNamespacesByDefault: true }).reason).toContain(
      'Restart the pods',
    );
  });

  it('lets the pod ask for injection in a namespace without the label, and says when it did not happen', () => {
    const status = injectionStatus({ ...base, podLabels: { 'sidecar.istio.io/inject': 'true' } });
    expect(status.reason).toContain('created before the label');
    const injected = injectionStatus({
      ...base,
      podLabels: { 'sidecar.istio.io/inject': 'true' },
      hasSidecar: true,
    });
    expect(injected.reason).toContain('the pod asks for it');
  });
});
