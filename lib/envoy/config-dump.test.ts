import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWeights, parseConfigDump, searchRows, splitClusterName } from './config-dump';

/**
 * An Istio 1.24 sidecar's `/config_dump`, cut down to one of each shape: a static cluster, an EDS
 * subset cluster with circuit breakers, outlier detection and auto-mTLS transport socket matches, a
 * DNS cluster with plain TLS, PassthroughCluster; an outbound listener with an HTTP chain (RDS)
 * and a tcp_proxy default chain, a warming TCP listener; a route configuration with a header
 * match, a 50/50 weighted split with retries and an Envoy HTTPFault, allow_any and a direct response.
 */
const dump: unknown = JSON.parse(
  readFileSync(new URL('./config-dump.fixture.json', import.meta.url), 'utf8'),
);

describe('parseConfigDump', () => {
  const parsed = parseConfigDump(dump);

  it('reads the node', () => {
    expect(parsed.node).toEqual({
      id: 'sidecar~10.244.0.21~productpage-v1-7d6cfb7dfd-5mc96.default~default.svc.cluster.local',
      istioVersion: '1.24.2',
    });
  });

  it('reads clusters: type, circuit breakers, outlier detection, TLS', () => {
    expect(
      parsed.clusters.map((cluster) => [cluster.name, cluster.type, cluster.state, cluster.tls]),
    ).toEqual([
      ['prometheus_stats', 'STATIC', 'static', 'plaintext'],
      ['outbound|9080|v1|reviews.default.svc.cluster.local', 'EDS', 'active', 'istio-mtls'],
      ['outbound|443||api.github.com', 'STRICT_DNS', 'active', 'tls'],
      ['PassthroughCluster', 'ORIGINAL_DST', 'active', 'plaintext'],
    ]);
    const reviews = parsed.clusters[1];
    expect(reviews).toMatchObject({
      direction: 'outbound',
      port: 9080,
      subset: 'v1',
      fqdn: 'reviews.default.svc.cluster.local',
      lbPolicy: 'LEAST_REQUEST',
      connectTimeout: '10s',
      sni: 'outbound_.9080_.v1_.reviews.default.svc.cluster.local',
      circuitBreakers: [
        {
          priority: 'DEFAULT',
          maxConnections: 100,
          maxPendingRequests: 1,
          maxRequests: 4294967295,
          maxRetries: 4294967295,
        },
      ],
      outlierDetection: {
        consecutive5xx: 3,
        consecutiveGatewayFailure: 4294967295,
        interval: '10s',
        baseEjectionTime: '30s',
        maxEjectionPercent: 100,
      },
    });
    expect(parsed.clusters[2]?.sni).toBe('api.github.com');
    expect(parsed.clusters[3]?.outlierDetection).toBeUndefined();
  });

  it('reads listeners: address, filter chains, route configuration names, warming state', () => {
    const [outbound, dns] = parsed.listeners;
    expect(outbound).toMatchObject({
      name: '0.0.0.0_9080',
      address: '0.0.0.0',
      port: 9080,
      direction: 'OUTBOUND',
      routeConfigs: ['9080'],
      state: 'active',
    });
    expect(outbound?.filterChains).toEqual([
      {
        name: '0.0.0.0_9080',
        match: 'port 9080; transport raw_buffer; alpn http/1.1,h2c',
        filters: ['http_connection_manager'],
        routeConfigs: ['9080'],
        tcpClusters: [],
      },
      {
        name: 'PassthroughFilterChain',
        match: 'all',
        filters: ['tcp_proxy'],
        routeConfigs: [],
        tcpClusters: ['PassthroughCluster'],
      },
    ]);
    expect(dns).toMatchObject({ state: 'warming', port: 53 });
    expect(dns?.filterChains[0]?.tcpClusters).toEqual([
      'outbound|53||kube-dns.kube-system.svc.cluster.local',
    ]);
  });

  it('reads routes: matches, weighted clusters, retries, faults, the Istio source', () => {
    expect(parsed.routes).toHaveLength(4);
    const [jason, split, allowAny, block] = parsed.routes;
    expect(jason).toMatchObject({
      routeConfig: '9080',
      virtualHost: 'reviews.default.svc.cluster.local:9080',
      name: 'jason',
      match: 'prefix /; header end-user = jason',
      clusters: [{ name: 'outbound|9080|v2|reviews.default.svc.cluster.local', weight: 100 }],
      timeout: '0s',
      retries: { numRetries: 2, perTryTimeout: '' },
      istioConfig: '/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews',
    });
    expect(jason?.domains).toContain('reviews');
    expect(split?.clusters).toEqual([
      { name: 'outbound|9080|v1|reviews.default.svc.cluster.local', weight: 50 },
      { name: 'outbound|9080|v3|reviews.default.svc.cluster.local', weight: 50 },
    ]);
    expect(split?.retries).toEqual({ retryOn: '5xx', numRetries: 3, perTryTimeout: '2s' });
    expect(split?.fault).toEqual({ abortPercent: 0.5, abortStatus: 500, delayPercent: 10, delay: '7s' });
    expect(allowAny).toMatchObject({ virtualHost: 'allow_any', domains: ['*'], action: 'route' });
    expect(block).toMatchObject({ match: 'regex ^/admin/.*', clusters: [], action: 'direct 404' });
  });

  it("reads Istio's own fault form as the simulator nests it", () => {
    const simulated = parseConfigDump({
      configs: [
        {
          '@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
          dynamic_route_configs: [
            {
              route_config: {
                name: '9080',
                virtual_hosts: [
                  {
                    name: 'ratings.default.svc.cluster.local:9080',
                    domains: ['ratings'],
                    routes: [
                      {
                        match: { prefix: '/' },
                        route: { cluster: 'outbound|9080|v1|ratings.default.svc.cluster.local' },
                        typed_per_filter_config: {
                          'envoy.filters.http.fault': {
                            fault: { abort: { percentage: { value: 10 }, httpStatus: 503 } },
                          },
                        },
                      },
                    ],
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(simulated.routes[0]?.fault).toEqual({ abortPercent: 10, abortStatus: 503 });
  });

  it('takes the JSON text and tolerates an empty or partial dump', () => {
    expect(parseConfigDump(JSON.stringify(dump)).routes).toHaveLength(4);
    expect(parseConfigDump({})).toEqual({ clusters: [], listeners: [], routes: [], node: undefined });
    expect(parseConfigDump({ configs: [{ '@type': 'unknown' }, null] }).clusters).toEqual([]);
  });
});

describe('helpers', () => {
  it('splits Istio cluster names', () => {
    expect(splitClusterName('inbound|9080||')).toEqual({
      direction: 'inbound',
      port: 9080,
      subset: '',
      fqdn: '',
    });
    expect(splitClusterName('BlackHoleCluster')).toEqual({
      direction: '',
      port: undefined,
      subset: '',
      fqdn: 'BlackHoleCluster',
    });
  });

  it('describes weights as shares', () => {
    const parsed = parseConfigDump(dump);
    expect(describeWeights(parsed.routes[1]?.clusters ?? [])).toBe('reviews v1 50%, reviews v3 50%');
    expect(describeWeights(parsed.routes[0]?.clusters ?? [])).toBe('reviews v2');
  });

  it('searches rows by every word', () => {
    const parsed = parseConfigDump(dump);
    expect(searchRows(parsed.routes, 'REVIEWS v3').map((row) => row.name)).toEqual(['split']);
    expect(searchRows(parsed.routes, '')).toHaveLength(4);
    expect(searchRows(parsed.clusters, 'nothing-like-this')).toEqual([]);
  });
});
