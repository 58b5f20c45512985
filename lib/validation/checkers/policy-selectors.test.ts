import { describe, expect, it } from 'vitest';
import { findings, pod } from '../test-support';

const policy = (kind: string, labels: string) => `
apiVersion: security.istio.io/v1
kind: ${kind}
metadata: {name: ${kind.toLowerCase()}, namespace: default}
spec: {selector: {matchLabels: ${labels}}}
---`;

describe('policy-selectors', () => {
  it('accepts selectors matching pods of the namespace, and no selector', () => {
    const manifests =
      pod('web', 'default', { app: 'web' }) +
      policy('PeerAuthentication', '{app: web}') +
      policy('RequestAuthentication', '{}');
    expect(findings(manifests, 'peerauthentication.selector')).toEqual([]);
    expect(findings(manifests, 'requestauthentication.selector')).toEqual([]);
  });

  it('reports PeerAuthentication and RequestAuthentication selectors matching no pod', () => {
    const manifests =
      pod('web', 'other', { app: 'web' }) +
      policy('PeerAuthentication', '{app: web}') +
      policy('RequestAuthentication', '{app: web}');
    expect([
      ...findings(manifests, 'peerauthentication.selector'),
      ...findings(manifests, 'requestauthentication.selector'),
    ]).toEqual([
      'peerauthentication.selector.no-workload PeerAuthentication default/peerauthentication spec.selector.matchLabels KIA0004',
      'requestauthentication.selector.no-workload RequestAuthentication default/requestauthentication spec.selector.matchLabels KIA0004',
    ]);
  });
});
