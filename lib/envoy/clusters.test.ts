import { describe, expect, it } from 'vitest';
import {
  hostHealth,
  limitOf,
  parseClusters,
  parseClustersJson,
  parseClustersText,
  parseHealthFlags,
  parseIstioClusterName,
  splitHostAddress,
} from './clusters';

/**
 * An Istio 1.2x sidecar's `/clusters` (Envoy 1.3x), cut down: a DestinationRule subset with outlier
 * detection and one host ejected, a cluster with hosts at two priorities, an IPv6 host, the
 * pipe-addressed xds-grpc cluster and BlackHoleCluster without hosts. Lines as
 * `ClustersHandler::writeClustersAsText` writes them.
 */
const istioText = `outbound|9080|v3|reviews.default.svc.cluster.local::observability_name::outbound|9080|v3|reviews.default.svc.cluster.local
outbound|9080|v3|reviews.default.svc.cluster.local::outlier::success_rate_average::-1
outbound|9080|v3|reviews.default.svc.cluster.local::outlier::success_rate_ejection_threshold::-1
outbound|9080|v3|reviews.default.svc.cluster.local::outlier::local_origin_success_rate_average::-1
outbound|9080|v3|reviews.default.svc.cluster.local::outlier::local_origin_success_rate_ejection_threshold::-1
outbound|9080|v3|reviews.default.svc.cluster.local::default_priority::max_connections::100
outbound|9080|v3|reviews.default.svc.cluster.local::default_priority::max_pending_requests::1
outbound|9080|v3|reviews.default.svc.cluster.local::default_priority::max_requests::4294967295
outbound|9080|v3|reviews.default.svc.cluster.local::default_priority::max_retries::4294967295
outbound|9080|v3|reviews.default.svc.cluster.local::high_priority::max_connections::1024
outbound|9080|v3|reviews.default.svc.cluster.local::high_priority::max_pending_requests::1024
outbound|9080|v3|reviews.default.svc.cluster.local::high_priority::max_requests::1024
outbound|9080|v3|reviews.default.svc.cluster.local::high_priority::max_retries::3
outbound|9080|v3|reviews.default.svc.cluster.local::added_via_api::true
outbound|9080|v3|reviews.default.svc.cluster.local::eds_service_name::outbound|9080|v3|reviews.default.svc.cluster.local
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::cx_active::0
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::cx_connect_fail::0
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::cx_total::4
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::rq_active::0
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::rq_error::37
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::rq_success::4
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::rq_timeout::0
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::rq_total::41
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::hostname::
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::health_flags::/failed_outlier_check
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::weight::1
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::region::europe-west1
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::zone::europe-west1-b
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::sub_zone::
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::canary::false
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::priority::0
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::success_rate::-1
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.17:9080::local_origin_success_rate::-1
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::cx_active::2
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::rq_error::0
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::rq_success::52
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::rq_total::52
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::hostname::
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::health_flags::healthy
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::weight::1
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::region::europe-west1
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::zone::europe-west1-c
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::sub_zone::
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::canary::false
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::priority::1
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::success_rate::98.5
outbound|9080|v3|reviews.default.svc.cluster.local::10.244.0.18:9080::local_origin_success_rate::-1
outbound|80||web.v6.svc.cluster.local::default_priority::max_connections::4294967295
outbound|80||web.v6.svc.cluster.local::added_via_api::true
outbound|80||web.v6.svc.cluster.local::[fd00:10:244::7]:8080::rq_total::3
outbound|80||web.v6.svc.cluster.local::[fd00:10:244::7]:8080::health_flags::/failed_active_hc/active_hc_timeout
outbound|80||web.v6.svc.cluster.local::[fd00:10:244::7]:8080::priority::0
xds-grpc::observability_name::xds-grpc
xds-grpc::default_priority::max_connections::100000
xds-grpc::added_via_api::false
xds-grpc::./etc/istio/proxy/XDS::cx_active::1
xds-grpc::./etc/istio/proxy/XDS::health_flags::healthy
BlackHoleCluster::observability_name::BlackHoleCluster
BlackHoleCluster::default_priority::max_connections::1024
BlackHoleCluster::added_via_api::false
`;

/** Envoy's own admin test (`VerifyTextOutput`): every health flag on one host. */
const everyFlagText = `test_cluster::observability_name::observability_name
test_cluster::outlier::success_rate_average::0
test_cluster::outlier::success_rate_ejection_threshold::1.1
test_cluster::default_priority::max_connections::1024
test_cluster::default_priority::max_pending_requests::1024
test_cluster::default_priority::max_requests::1024
test_cluster::default_priority::max_retries::16
test_cluster::high_priority::max_connections::4096
test_cluster::high_priority::max_pending_requests::4096
test_cluster::high_priority::max_requests::4096
test_cluster::high_priority::max_retries::16
test_cluster::added_via_api::true
test_cluster::eds_service_name::potato_launcher
test_cluster::1.2.3.4:80::test_counter::10
test_cluster::1.2.3.4:80::test_gauge::11
test_cluster::1.2.3.4:80::hostname::test_hostname
test_cluster::1.2.3.4:80::health_flags::/failed_active_hc/failed_outlier_check/degraded_active_hc/pending_dynamic_removal/pending_active_hc/excluded_via_immediate_hc_fail/active_hc_timeout/eds_status_draining
test_cluster::1.2.3.4:80::weight::1
test_cluster::1.2.3.4:80::region::test_region
test_cluster::1.2.3.4:80::zone::test_zone
test_cluster::1.2.3.4:80::sub_zone::test_sub_zone
test_cluster::1.2.3.4:80::canary::false
test_cluster::1.2.3.4:80::priority::1
test_cluster::1.2.3.4:80::success_rate::1
test_cluster::1.2.3.4:80::local_origin_success_rate::1
`;

/**
 * `?format=json` from Envoy's protobuf printer (Istio up to ~1.22): uint64 values as strings,
 * zeros and the DEFAULT priority left out.
 */
const protobufJson = {
  cluster_statuses: [
    {
      name: 'outbound|9080|v3|reviews.default.svc.cluster.local',
      added_via_api: true,
      host_statuses: [
        {
          address: { socket_address: { address: '10.244.0.17', port_value: 9080 } },
          stats: [
            { name: 'cx_connect_fail' },
            { value: '4', name: 'cx_total' },
            { value: '37', name: 'rq_error' },
            { value: '4', name: 'rq_success' },
            { name: 'rq_timeout' },
            { value: '41', name: 'rq_total' },
            { type: 'GAUGE', name: 'cx_active' },
            { type: 'GAUGE', name: 'rq_active' },
          ],
          health_status: { failed_outlier_check: true, eds_health_status: 'HEALTHY' },
          weight: 1,
          locality: { region: 'europe-west1', zone: 'europe-west1-b' },
        },
        {
          address: { socket_address: { address: '10.244.0.18', port_value: 9080 } },
          stats: [
            { value: '52', name: 'rq_success' },
            { value: '52', name: 'rq_total' },
            { type: 'GAUGE', value: '2', name: 'cx_active' },
          ],
          health_status: { eds_health_status: 'HEALTHY' },
          weight: 1,
          priority: 1,
          success_rate: { value: 98.5 },
          locality: {},
        },
      ],
      circuit_breakers: {
        thresholds: [
          {
            max_connections: 100,
            max_pending_requests: 1,
            max_requests: 4294967295,
            max_retries: 4294967295,
          },
          {
            priority: 'HIGH',
            max_connections: 1024,
            max_pending_requests: 1024,
            max_requests: 1024,
            max_retries: 3,
          },
        ],
      },
      observability_name: 'outbound|9080|v3|reviews.default.svc.cluster.local',
      eds_service_name: 'outbound|9080|v3|reviews.default.svc.cluster.local',
    },
    {
      name: 'xds-grpc',
      host_statuses: [
        {
          address: { pipe: { path: './etc/istio/proxy/XDS' } },
          stats: [{ type: 'GAUGE', value: '1', name: 'cx_active' }],
          health_status: { eds_health_status: 'HEALTHY' },
          weight: 1,
        },
      ],
      circuit_breakers: { thresholds: [{ max_connections: 100000 }, { priority: 'HIGH' }] },
      observability_name: 'xds-grpc',
    },
  ],
};

/** The streaming renderer of newer Envoy (`VerifyJsonOutput`): numbers, explicit types and priorities. */
const streamingJson = `{"cluster_statuses":[{"circuit_breakers":{"thresholds":[{"priority":"DEFAULT","max_connections":1024,"max_pending_requests":1024,"max_requests":1024,"max_retries":16},{"priority":"HIGH","max_connections":4096,"max_pending_requests":4096,"max_requests":4096,"max_retries":16}]},"success_rate_ejection_threshold":{"value":1.1},"local_origin_success_rate_ejection_threshold":{"value":1.1},"name":"test_cluster","observability_name":"observability_name","eds_service_name":"potato_launcher","added_via_api":true,"host_statuses":[{"address":{"socket_address":{"address":"1.2.3.4","port_value":80}},"locality":{"region":"test_region","zone":"test_zone","sub_zone":"test_sub_zone"},"stats":[{"type":"COUNTER","name":"test_counter","value":10},{"type":"GAUGE","name":"test_gauge","value":11}],"health_status":{"active_hc_timeout":true,"eds_health_status":"DRAINING","excluded_via_immediate_hc_fail":true,"failed_active_degraded_check":true,"failed_active_health_check":true,"failed_outlier_check":true,"pending_active_hc":true,"pending_dynamic_removal":true},"success_rate":{"value":1},"local_origin_success_rate":{"value":1},"hostname":"test_hostname","weight":1,"priority":1}]}]}`;

describe('parseClustersText', () => {
  const clusters = parseClustersText(istioText);
  const reviews = clusters.find((cluster) => cluster.name.startsWith('outbound|9080|v3|'));

  it('reads every cluster, hosts or none', () => {
    expect(clusters.map((cluster) => cluster.name)).toEqual([
      'outbound|9080|v3|reviews.default.svc.cluster.local',
      'outbound|80||web.v6.svc.cluster.local',
      'xds-grpc',
      'BlackHoleCluster',
    ]);
    expect(clusters.find((cluster) => cluster.name === 'BlackHoleCluster')?.hosts).toEqual([]);
  });

  it('reads the circuit-breaker thresholds per priority', () => {
    expect(reviews?.circuitBreakers).toEqual([
      {
        priority: 'default',
        maxConnections: 100,
        maxPendingRequests: 1,
        maxRequests: 4294967295,
        maxRetries: 4294967295,
      },
      { priority: 'high', maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
    ]);
    expect(reviews?.addedViaApi).toBe(true);
    expect(reviews?.edsServiceName).toBe('outbound|9080|v3|reviews.default.svc.cluster.local');
    expect(reviews?.successRateEjectionThreshold).toBeUndefined();
  });

  it('reads per-host stats, flags, locality and priority', () => {
    const [ejected, healthy] = reviews?.hosts ?? [];
    expect(ejected).toMatchObject({
      address: '10.244.0.17',
      port: 9080,
      healthFlags: ['failed_outlier_check'],
      stats: { rq_error: 37, rq_success: 4, rq_total: 41, cx_total: 4, cx_active: 0, rq_timeout: 0 },
      zone: 'europe-west1-b',
      priority: 0,
      successRate: undefined,
    });
    expect(healthy).toMatchObject({
      healthFlags: [],
      priority: 1,
      successRate: 98.5,
      stats: { cx_active: 2 },
    });
  });

  it('keeps IPv6 addresses and pipe paths whole', () => {
    const v6 = clusters.find((cluster) => cluster.name.includes('web.v6'))?.hosts[0];
    expect(v6).toMatchObject({
      address: 'fd00:10:244::7',
      port: 8080,
      healthFlags: ['failed_active_hc', 'active_hc_timeout'],
      stats: { rq_total: 3 },
    });
    const xds = clusters.find((cluster) => cluster.name === 'xds-grpc')?.hosts[0];
    expect(xds).toMatchObject({ address: './etc/istio/proxy/XDS', port: undefined, stats: { cx_active: 1 } });
  });

  it('reads every flag of Envoy’s own admin test', () => {
    const [cluster] = parseClustersText(everyFlagText);
    expect(cluster?.successRateEjectionThreshold).toBe(1.1);
    expect(cluster?.observabilityName).toBe('observability_name');
    expect(cluster?.hosts[0]?.healthFlags).toEqual([
      'failed_active_hc',
      'failed_outlier_check',
      'degraded_active_hc',
      'pending_dynamic_removal',
      'pending_active_hc',
      'excluded_via_immediate_hc_fail',
      'active_hc_timeout',
      'eds_status_draining',
    ]);
    expect(cluster?.hosts[0]).toMatchObject({
      hostname: 'test_hostname',
      stats: { test_counter: 10, test_gauge: 11 },
      subZone: 'test_sub_zone',
      successRate: 1,
    });
  });

  it('skips what it cannot read', () => {
    expect(parseClustersText('garbage\n::x\ncluster::10.0.0.1:80\n')).toEqual([
      expect.objectContaining({ name: 'cluster', hosts: [] }),
    ]);
  });
});

describe('parseClustersJson', () => {
  it('reads the protobuf printer’s strings and left-out zeros', () => {
    const [reviews, xds] = parseClustersJson(protobufJson);
    const text = parseClustersText(istioText)[0];
    expect(reviews?.circuitBreakers).toEqual(text?.circuitBreakers);
    expect(reviews?.hosts[0]).toMatchObject({
      address: '10.244.0.17',
      port: 9080,
      healthFlags: ['failed_outlier_check'],
      stats: { rq_error: 37, rq_total: 41, cx_connect_fail: 0, rq_timeout: 0, cx_active: 0 },
      priority: 0,
    });
    expect(reviews?.hosts[1]).toMatchObject({ healthFlags: [], priority: 1, successRate: 98.5 });
    expect(xds?.hosts[0]).toMatchObject({ address: './etc/istio/proxy/XDS', port: undefined });
    expect(xds?.circuitBreakers[1]).toEqual({
      priority: 'high',
      maxConnections: undefined,
      maxPendingRequests: undefined,
      maxRequests: undefined,
      maxRetries: undefined,
    });
  });

  it('reads the streaming renderer and maps every health boolean to the text flag', () => {
    const [cluster] = parseClustersJson(streamingJson);
    expect(cluster?.circuitBreakers.map((entry) => entry.priority)).toEqual(['default', 'high']);
    expect(cluster?.hosts[0]?.healthFlags).toEqual(
      parseClustersText(everyFlagText)[0]?.hosts[0]?.healthFlags,
    );
    expect(cluster?.hosts[0]?.stats).toEqual({ test_counter: 10, test_gauge: 11 });
    expect(cluster?.successRateEjectionThreshold).toBe(1.1);
  });

  it('maps EDS health to flags', () => {
    const host = (eds: string) =>
      parseClustersJson({
        cluster_statuses: [{ name: 'c', host_statuses: [{ health_status: { eds_health_status: eds } }] }],
      })[0]?.hosts[0]?.healthFlags;
    expect(host('HEALTHY')).toEqual([]);
    expect(host('UNHEALTHY')).toEqual(['failed_eds_health']);
    expect(host('TIMEOUT')).toEqual(['failed_eds_health']);
    expect(host('DEGRADED')).toEqual(['degraded_eds_health']);
  });

  it('answers nothing for what is not a clusters answer', () => {
    expect(parseClustersJson('not json')).toEqual([]);
    expect(parseClustersJson({ configs: [] })).toEqual([]);
  });
});

describe('helpers', () => {
  it('tells the formats apart', () => {
    expect(parseClusters(JSON.stringify(protobufJson))).toHaveLength(2);
    expect(parseClusters(istioText)).toHaveLength(4);
  });

  it('reads health flags and addresses', () => {
    expect(parseHealthFlags('healthy')).toEqual([]);
    expect(parseHealthFlags('/failed_outlier_check/failed_active_hc')).toEqual([
      'failed_outlier_check',
      'failed_active_hc',
    ]);
    expect(splitHostAddress('[::1]:15000')).toEqual({ address: '::1', port: 15000 });
    expect(splitHostAddress('10.0.0.1:9080')).toEqual({ address: '10.0.0.1', port: 9080 });
  });

  it('reads Istio cluster names', () => {
    expect(parseIstioClusterName('outbound|9080|v3|reviews.default.svc.cluster.local')).toEqual({
      direction: 'outbound',
      port: 9080,
      subset: 'v3',
      host: 'reviews.default.svc.cluster.local',
    });
    expect(parseIstioClusterName('inbound|9080||')).toMatchObject({ direction: 'inbound', host: '' });
    expect(parseIstioClusterName('BlackHoleCluster')).toBeUndefined();
  });

  it('names the worst state, outlier ejection first', () => {
    expect(hostHealth([])).toBe('healthy');
    expect(hostHealth(['failed_active_hc', 'failed_outlier_check'])).toBe('ejected');
    expect(hostHealth(['failed_active_hc'])).toBe('failed-health-check');
    expect(hostHealth(['pending_dynamic_removal'])).toBe('pending-removal');
    expect(hostHealth(['degraded_eds_health'])).toBe('degraded');
  });

  it('calls 2^32 - 1 no limit', () => {
    expect(limitOf(4294967295)).toBeNull();
    expect(limitOf(1)).toBe(1);
    expect(limitOf(undefined)).toBeUndefined();
  });
});
