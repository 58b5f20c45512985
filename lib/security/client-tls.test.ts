import { describe, expect, it } from 'vitest';
import { clientDecision, clientTlsFor, destinationRuleFor, ruleHost, ruleTls } from './client-tls';
import { istio, service, snapshotOf } from './test-snapshot';

const reviews = service('default', 'reviews', { app: 'reviews' }, [{ port: 9080 }]);
const dr = (namespace: string, name: string, spec: Record<string, unknown>) =>
  istio('DestinationRule', namespace, name, spec);

describe('DestinationRule hosts', () => {
  it('resolves short names in the rule namespace and keeps FQDNs and wildcards', () => {
    expect(ruleHost('reviews', 'default')).toBe('reviews.default.svc.cluster.local');
    expect(ruleHost('reviews.default.svc.cluster.local', 'other')).toBe('reviews.default.svc.cluster.local');
    expect(ruleHost('*.local', 'other')).toBe('*.local');
  });
});

describe('which DestinationRule a client uses', () => {
  const own = dr('client-ns', 'own', { host: 'reviews.default.svc.cluster.local' });
  const service = dr('default', 'service', { host: 'reviews' });
  const wildcard = dr('default', 'wildcard', { host: '*.default.svc.cluster.local' });
  const root = dr('istio-system', 'root', { host: '*.local' });
  const local = dr('default', 'local-only', { host: 'reviews', exportTo: ['.'] });
  const selected = dr('client-ns', 'selected', {
    host: 'reviews.default.svc.cluster.local',
    workloadSelector: { matchLabels: { app: 'x' } },
  });

  it("prefers the client's namespace, then the service's, then the root namespace", () => {
    expect(destinationRuleFor(snapshotOf({ istio: [root, service, own] }), reviews, 'client-ns')?.name).toBe(
      'own',
    );
    expect(destinationRuleFor(snapshotOf({ istio: [root, service, own] }), reviews, 'third')?.name).toBe(
      'service',
    );
    expect(destinationRuleFor(snapshotOf({ istio: [root] }), reviews, 'third')?.name).toBe('root');
  });

  it('picks the most specific host and respects exportTo and workload selectors', () => {
    expect(destinationRuleFor(snapshotOf({ istio: [wildcard, service] }), reviews, 'third')?.name).toBe(
      'service',
    );
    expect(destinationRuleFor(snapshotOf({ istio: [local, root] }), reviews, 'third')?.name).toBe('root');
    expect(destinationRuleFor(snapshotOf({ istio: [local, root] }), reviews, 'default')?.name).toBe(
      'local-only',
    );
    expect(destinationRuleFor(snapshotOf({ istio: [selected] }), reviews, 'client-ns')).toBeUndefined();
  });
});

describe('the TLS mode a DestinationRule sets', () => {
  const rule = dr('default', 'reviews', {
    host: 'reviews',
    trafficPolicy: {
      tls: { mode: 'ISTIO_MUTUAL' },
      portLevelSettings: [
        { port: { number: 9080 }, tls: { mode: 'DISABLE' } },
        { port: { number: 9443 }, connectionPool: { tcp: { maxConnections: 1 } } },
      ],
    },
    subsets: [
      { name: 'v1', labels: { version: 'v1' }, trafficPolicy: { tls: { mode: 'SIMPLE' } } },
      {
        name: 'v2',
        labels: { version: 'v2' },
        trafficPolicy: { portLevelSettings: [{ port: { number: 9080 }, tls: { mode: 'ISTIO_MUTUAL' } }] },
      },
      { name: 'v3', labels: { version: 'v3' } },
    ],
  });

  it('takes a port-level setting over the top level, and an entry without tls clears it', () => {
    expect(ruleTls(rule, 9080)).toEqual({
      mode: 'DISABLE',
      path: 'spec.trafficPolicy.portLevelSettings[0].tls.mode',
    });
    expect(ruleTls(rule, 8080)).toEqual({ mode: 'ISTIO_MUTUAL', path: 'spec.trafficPolicy.tls.mode' });
    expect(ruleTls(rule, 9443)).toBeUndefined();
  });

  it("layers a subset's policy over the merged top level, as Istio's MergeTrafficPolicy", () => {
    expect(ruleTls(rule, 9080, 'v1')).toEqual({
      mode: 'SIMPLE',
      path: 'spec.subsets[0].trafficPolicy.tls.mode',
    });
    expect(ruleTls(rule, 9080, 'v2')).toEqual({
      mode: 'ISTIO_MUTUAL',
      path: 'spec.subsets[1].trafficPolicy.portLevelSettings[0].tls.mode',
    });
    expect(ruleTls(rule, 9080, 'v3')).toEqual({
      mode: 'DISABLE',
      path: 'spec.trafficPolicy.portLevelSettings[0].tls.mode',
    });
  });
});

describe('what a client with a sidecar sends', () => {
  const rule = dr('default', 'reviews', { host: 'reviews', trafficPolicy: { tls: { mode: 'DISABLE' } } });

  it('follows the DestinationRule when it sets a mode', () => {
    const decision = clientDecision(
      rule,
      { mode: 'DISABLE', path: 'spec.trafficPolicy.tls.mode' },
      { mode: 'STRICT', namespaceMode: 'STRICT', sidecar: true },
      true,
    );
    expect(decision).toMatchObject({
      mode: 'DISABLE',
      mutual: false,
      destinationRule: { name: 'reviews', path: 'spec.trafficPolicy.tls.mode' },
    });
  });

  it('uses auto-mTLS otherwise: mTLS to sidecars, plaintext to a DISABLE namespace, no sidecar, or with auto-mTLS off', () => {
    expect(
      clientDecision(
        undefined,
        undefined,
        { mode: 'PERMISSIVE', namespaceMode: 'PERMISSIVE', sidecar: true },
        true,
      ),
    ).toMatchObject({
      mode: 'AUTO',
      mutual: true,
    });
    // auto-mTLS reads the namespace (or mesh) mode only, as istiod's BestEffortInferServiceMTLSMode.
    expect(
      clientDecision(
        undefined,
        undefined,
        { mode: 'DISABLE', namespaceMode: 'DISABLE', sidecar: true },
        true,
      ),
    ).toMatchObject({
      mutual: false,
    });
    expect(
      clientDecision(
        undefined,
        undefined,
        { mode: 'DISABLE', namespaceMode: 'PERMISSIVE', sidecar: true },
        true,
      ),
    ).toMatchObject({
      mutual: true,
    });
    expect(
      clientDecision(undefined, undefined, { mode: 'STRICT', namespaceMode: 'STRICT', sidecar: false }, true),
    ).toMatchObject({
      mutual: false,
    });
    expect(
      clientDecision(undefined, undefined, { mode: 'STRICT', namespaceMode: 'STRICT', sidecar: true }, false),
    ).toMatchObject({
      mutual: false,
    });
  });

  it('adds a row for a subset only when it changes what clients send', () => {
    const rule = dr('default', 'reviews', {
      host: 'reviews',
      subsets: [
        { name: 'v1', labels: { version: 'v1' }, trafficPolicy: { tls: { mode: 'DISABLE' } } },
        { name: 'v1-too', labels: { version: 'v1' } },
      ],
    });
    const clients = clientTlsFor(
      snapshotOf({ istio: [rule] }),
      reviews,
      9080,
      { app: 'reviews', version: 'v1' },
      { mode: 'PERMISSIVE', namespaceMode: 'PERMISSIVE', sidecar: true },
    );
    expect(
      clients.map((client) => [client.clientNamespace, client.subset, client.mode, client.mutual]),
    ).toEqual([
      ['*', undefined, 'AUTO', true],
      ['*', 'v1', 'DISABLE', false],
    ]);
  });

  it('lists the namespaces whose clients see different rules, merging identical answers', () => {
    const other = dr('legacy', 'reviews-plain', {
      host: 'reviews.default.svc.cluster.local',
      trafficPolicy: { tls: { mode: 'DISABLE' } },
    });
    const mutual = dr('default', 'reviews', {
      host: 'reviews',
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
    });
    const clients = clientTlsFor(
      snapshotOf({ istio: [mutual, other] }),
      reviews,
      9080,
      { app: 'reviews' },
      { mode: 'STRICT', namespaceMode: 'STRICT', sidecar: true },
    );
    expect(clients.map((client) => [client.clientNamespace, client.mode])).toEqual([
      ['*', 'ISTIO_MUTUAL'],
      ['legacy', 'DISABLE'],
    ]);
  });
});
