import { describe, expect, it } from 'vitest';
import type { ConfigSnapshot, ServiceInfo } from '../types/mesh-config';
import { fromManifests } from '../validation/from-manifests';
import { appliedPolicies, clusterName, policyOfCluster } from './applied-policies';
import { formatDuration } from './explain';
import { destinationRuleFor, effectiveOutlierDetection, mergeTrafficPolicy, parseDurationMs } from './policy';
import { OUTLIER_STATS_ANNOTATION, statsAdvice } from './stats-annotation';

const dr = (namespace: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { namespace, name, resourceVersion: '7' },
  spec,
});

const pod = (name: string, version: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: 'default', name, labels: { app: 'reviews', version } },
  spec: { containers: [{ name: 'reviews' }, { name: 'istio-proxy' }] },
  status: { phase: 'Running', podIP: `10.0.0.${name.length}` },
});

/** The chaos scenario's reviews: three versions, two v3 pods, a DestinationRule with both sections. */
const chaosReviews = dr('default', 'reviews', {
  host: 'reviews',
  trafficPolicy: {
    connectionPool: {
      tcp: { maxConnections: 100 },
      http: { http1MaxPendingRequests: 100, maxRequestsPerConnection: 10 },
    },
    outlierDetection: {
      consecutive5xxErrors: 3,
      interval: '5s',
      baseEjectionTime: '15s',
      maxEjectionPercent: 100,
    },
  },
  subsets: ['v1', 'v2', 'v3'].map((version) => ({ name: version, labels: { version } })),
});

function snapshot(...objects: unknown[]): ConfigSnapshot {
  return fromManifests([
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: 'default', name: 'reviews' },
      spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] },
    },
    pod('reviews-v1-a', 'v1'),
    pod('reviews-v2-a', 'v2'),
    pod('reviews-v3-a', 'v3'),
    pod('reviews-v3-bb', 'v3'),
    ...objects,
  ]);
}

function reviews(config: ConfigSnapshot): ServiceInfo {
  const found = config.services.find((service) => service.name === 'reviews');
  if (!found) throw new Error('no reviews service');
  return found;
}

describe('the policy that applies', () => {
  it('explains the chaos scenario’s reviews rule per subset', () => {
    const config = snapshot(chaosReviews);
    const [applied] = appliedPolicies(config, reviews(config), [{ namespace: 'default' }]);
    expect(applied?.rule).toEqual({
      namespace: 'default',
      name: 'reviews',
      resourceVersion: '7',
      host: 'reviews.default.svc.cluster.local',
    });
    expect(applied?.clusters.map((cluster) => cluster.cluster)).toEqual([
      'outbound|9080||reviews.default.svc.cluster.local',
      'outbound|9080|v1|reviews.default.svc.cluster.local',
      'outbound|9080|v2|reviews.default.svc.cluster.local',
      'outbound|9080|v3|reviews.default.svc.cluster.local',
    ]);
    const v3 = applied?.clusters[3];
    expect(v3?.pods.map((entry) => entry.name)).toEqual(['reviews-v3-a', 'reviews-v3-bb']);
    expect(v3?.outlierDetection).toEqual({
      from: 'top-level',
      value: {
        consecutive5xxErrors: 3,
        consecutiveGatewayErrors: 0,
        consecutiveLocalOriginFailures: null,
        splitExternalLocalOriginErrors: false,
        intervalMs: 5_000,
        baseEjectionTimeMs: 15_000,
        maxEjectionPercent: 100,
        minHealthPercent: 0,
        maxEjectionTimeMs: 300_000,
      },
    });
    expect(v3?.connectionPool.value).toMatchObject({
      maxConnections: 100,
      http1MaxPendingRequests: 100,
      http2MaxRequests: null,
    });
    expect(v3?.explanation.join(' ')).toContain('a pod that answers 3 consecutive 5xx errors is ejected');
    expect(v3?.explanation.join(' ')).toContain('15 s × the number of times');
    expect(v3?.explanation.join(' ')).toContain('At most 100 % of the pods may be ejected at once: 2 of 2.');
    expect(v3?.guidance.map((entry) => entry.field)).toEqual(['outlierDetection.maxEjectionPercent']);
  });

  it('applies Istio’s defaults without a rule', () => {
    const config = snapshot();
    const [applied] = appliedPolicies(config, reviews(config), []);
    expect(applied?.rule).toBeNull();
    expect(applied?.clusters).toHaveLength(1);
    expect(applied?.clusters[0]).toMatchObject({
      outlierDetection: { value: null, from: 'default' },
      connectionPool: { from: 'default', value: { maxConnections: null, http1MaxPendingRequests: null } },
      loadBalancer: { value: { algorithm: 'LEAST_REQUEST' } },
    });
    expect(applied?.clusters[0]?.explanation[0]).toMatch(/No outlier detection/);
    expect(applied?.clusters[0]?.guidance[0]?.field).toBe('outlierDetection');
  });

  it('merges whole sections: top level, port, subset, subset port', () => {
    const spec = {
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 10 } },
        outlierDetection: { consecutive5xxErrors: 7 },
        portLevelSettings: [{ port: { number: 9080 }, loadBalancer: { simple: 'ROUND_ROBIN' } }],
      },
    };
    const subset = {
      name: 'v1',
      trafficPolicy: {
        connectionPool: { http: { http1MaxPendingRequests: 1 } },
        portLevelSettings: [{ port: { number: 9080 }, outlierDetection: { consecutiveGatewayErrors: 2 } }],
      },
    };
    const merged = mergeTrafficPolicy(spec, subset, 9080);
    expect(merged.from).toEqual({
      connectionPool: 'subset',
      outlierDetection: 'subset-port',
      loadBalancer: 'port',
      tls: 'default',
    });
    // The subset's connectionPool replaces the top-level one: maxConnections is no longer set.
    expect(merged.sections.connectionPool).toEqual({ http: { http1MaxPendingRequests: 1 } });
    expect(effectiveOutlierDetection(merged.sections.outlierDetection)).toMatchObject({
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 2,
    });
    expect(mergeTrafficPolicy(spec, undefined, 8080).from.loadBalancer).toBe('default');
  });

  it('picks the caller’s namespace first, then the service’s, then the root namespace', () => {
    const config = snapshot(
      dr('istio-system', 'mesh-wide', { host: '*.local', trafficPolicy: { outlierDetection: {} } }),
      dr('default', 'reviews', { host: 'reviews' }),
      dr('shop', 'reviews-for-shop', { host: 'reviews.default.svc.cluster.local' }),
      dr('other', 'not-exported', { host: 'reviews.default.svc.cluster.local', exportTo: ['.'] }),
    );
    const service = reviews(config);
    expect(destinationRuleFor(config, service, { namespace: 'shop' })?.rule.name).toBe('reviews-for-shop');
    expect(destinationRuleFor(config, service, { namespace: 'default' })?.rule.name).toBe('reviews');
    // A rule exported only to its own namespace still applies to callers there.
    expect(destinationRuleFor(config, service, { namespace: 'other' })?.rule.name).toBe('not-exported');
    expect(destinationRuleFor(config, service, { namespace: 'elsewhere' })?.rule.name).toBe('reviews');
    const applied = appliedPolicies(config, service, [{ namespace: 'shop' }, { namespace: 'elsewhere' }]);
    expect(applied.map((entry) => [entry.rule?.name, entry.callerNamespaces])).toEqual([
      ['reviews', ['default', 'elsewhere']],
      ['reviews-for-shop', ['shop']],
    ]);
    expect(policyOfCluster(applied, 'shop', clusterName(9080, null, service.fqdn))?.cluster).toBe(
      'outbound|9080||reviews.default.svc.cluster.local',
    );
    const rootOnly = snapshot(dr('istio-system', 'mesh-wide', { host: '*.local' }));
    expect(destinationRuleFor(rootOnly, reviews(rootOnly), { namespace: 'default' })?.rule.name).toBe(
      'mesh-wide',
    );
  });

  it('honours exportTo and workloadSelector', () => {
    const config = snapshot(
      dr('default', 'private', { host: 'reviews', exportTo: ['.'] }),
      dr('default', 'for-productpage', {
        host: 'reviews',
        workloadSelector: { matchLabels: { app: 'productpage' } },
        trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } },
      }),
    );
    const service = reviews(config);
    expect(destinationRuleFor(config, service, { namespace: 'shop' })).toBeUndefined();
    expect(destinationRuleFor(config, service, { namespace: 'default' })?.rule.name).toBe('private');
    expect(
      destinationRuleFor(config, service, { namespace: 'default', labels: { app: 'productpage' } })?.rule
        .name,
    ).toBe('for-productpage');
  });

  it('merges the subsets of rules for the same host in one namespace', () => {
    const config = snapshot(
      dr('default', 'a-reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }),
      dr('default', 'b-reviews', {
        host: 'reviews',
        subsets: [
          { name: 'v1', labels: { version: 'nope' } },
          { name: 'v3', labels: { version: 'v3' } },
        ],
      }),
    );
    const selected = destinationRuleFor(config, reviews(config), { namespace: 'default' });
    expect(selected?.rule.name).toBe('a-reviews');
    expect(
      selected?.subsets.map((subset) => [subset.name, (subset.labels as { version: string }).version]),
    ).toEqual([
      ['v1', 'v1'],
      ['v3', 'v3'],
    ]);
  });

  it('gives guidance on values that bite', () => {
    const config = snapshot(
      dr('default', 'reviews', {
        host: 'reviews',
        trafficPolicy: {
          connectionPool: {
            tcp: { maxConnections: 1 },
            http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 },
          },
          outlierDetection: {
            consecutive5xxErrors: 1,
            interval: '1m',
            baseEjectionTime: '30s',
            maxEjectionPercent: 10,
          },
        },
      }),
    );
    const [applied] = appliedPolicies(config, reviews(config), []);
    const guidance = applied?.clusters[0]?.guidance ?? [];
    expect(guidance.map((entry) => `${entry.severity} ${entry.field}`)).toEqual([
      'warning outlierDetection.consecutive5xxErrors',
      'info outlierDetection.interval',
      'info outlierDetection.maxEjectionPercent',
      'warning connectionPool.tcp.maxConnections',
      'warning connectionPool.http.http1MaxPendingRequests',
      'info connectionPool.http.maxRequestsPerConnection',
    ]);
    expect(applied?.clusters[0]?.explanation.join(' ')).toContain(
      'at most 1 per calling pod (http1MaxPendingRequests)',
    );
  });

  it('reads durations and the deprecated consecutiveErrors as Istio does', () => {
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('100ms')).toBe(100);
    expect(parseDurationMs('soon')).toBeUndefined();
    expect(effectiveOutlierDetection({ consecutiveErrors: 4 })).toMatchObject({
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 4,
    });
    expect(effectiveOutlierDetection({ baseEjectionTime: '10m' })?.maxEjectionTimeMs).toBe(600_000);
    expect(formatDuration(15_000)).toBe('15 s');
    expect(formatDuration(300_000)).toBe('5 min');
  });
});

describe('the stats annotation', () => {
  it('is JSON that asks for the outlier and overflow stats', () => {
    expect(OUTLIER_STATS_ANNOTATION.name).toBe('proxy.istio.io/config');
    expect(JSON.parse(OUTLIER_STATS_ANNOTATION.value)).toEqual({
      proxyStatsMatcher: {
        inclusionRegexps: [
          '.*outlier_detection.*',
          '.*upstream_rq_pending_overflow.*',
          '.*upstream_cx_overflow.*',
        ],
      },
    });
    expect(statsAdvice([{ namespace: 'default', workload: 'productpage-v1' }])).toContain(
      'default/productpage-v1',
    );
  });
});
