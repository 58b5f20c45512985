import { describe, expect, it } from 'vitest';
import { findings, namespace, pod } from '../test-support';

describe('pod-sidecar', () => {
  it('accepts injected pods, opt-outs, host-network pods and pods of other namespaces', () => {
    const manifests =
      namespace('default') +
      namespace('plain', {}) +
      pod('injected', 'default', { app: 'a' }) +
      pod(
        'opted-out',
        'default',
        { 'sidecar.istio.io/inject': 'false' },
        { sidecar: false, annotations: { 'sidecar.istio.io/inject': 'true' } },
      ) +
      pod('host', 'default', { app: 'h' }, { sidecar: false, extra: 'hostNetwork: true' }) +
      pod('outside', 'plain', { app: 'o' }, { sidecar: false });
    expect(findings(manifests, 'pod.')).toEqual([]);
  });

  it('reports pods without sidecar in namespaces labelled for injection or a revision', () => {
    const manifests =
      namespace('default') +
      namespace('canary', { 'istio.io/rev': 'canary' }) +
      pod('old', 'default', { app: 'a' }, { sidecar: false }) +
      pod('old', 'canary', { app: 'a' }, { sidecar: false });
    expect(findings(manifests, 'pod.')).toEqual([
      'pod.sidecar.missing Pod canary/old spec.containers IST0103',
      'pod.sidecar.missing Pod default/old spec.containers IST0103',
    ]);
  });
});
