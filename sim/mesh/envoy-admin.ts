/**
 * Envoy's admin endpoints for a simulated sidecar, consistent with the live configuration and the
 * engine's state: `/clusters` (per-host health flags such as `/failed_outlier_check`, request and
 * error counts, text or `?format=json`) and `/config_dump` (clusters, listeners and routes built
 * from the Services, VirtualServices and DestinationRules the proxy sees).
 */
import { list, type MeshConfig, type MeshPod, type MeshService, record } from './mesh-config';
import type { HostHealth } from './outlier-detection';
import { trafficPolicy } from './routing';
import type { TrafficEngine } from './traffic-engine';

interface ClusterView {
  name: string;
  service: MeshService;
  port: number;
  subset: string | undefined;
  hosts: string[];
}

/** The outbound clusters a sidecar in `pod` has: one per service port, plus one per DestinationRule subset. */
function outboundClusters(config: MeshConfig, pod: MeshPod): ClusterView[] {
  const views: ClusterView[] = [];
  for (const service of config.services.values()) {
    const members = config.podsOf(service);
    for (const port of service.ports) {
      views.push({
        name: `outbound|${port.port}||${service.fqdn}`,
        service,
        port: port.port,
        subset: undefined,
        hosts: members.map((member) => `${member.ip}:${port.targetPort}`),
      });
      const rule = config.destinationRuleFor(service.fqdn, pod.namespace);
      for (const subset of list(record(rule?.spec).subsets)) {
        const name = typeof subset.name === 'string' ? subset.name : '';
        const labels = record(subset.labels) as Record<string, string>;
        const inSubset = members.filter((member) =>
          Object.entries(labels).every(([key, value]) => member.labels[key] === value),
        );
        views.push({
          name: `outbound|${port.port}|${name}|${service.fqdn}`,
          service,
          port: port.port,
          subset: name,
          hosts: inSubset.map((member) => `${member.ip}:${port.targetPort}`),
        });
      }
    }
  }
  return views;
}

function healthOf(states: HostHealth[] | undefined, address: string): HostHealth | undefined {
  return states?.find((state) => state.host === address.split(':')[0]);
}

export function clustersText(engine: TrafficEngine, pod: MeshPod): string {
  const config = engine.meshConfig();
  const outliers = engine.outlierStates(pod);
  const lines: string[] = [];
  for (const cluster of outboundClusters(config, pod)) {
    const policy = trafficPolicy(config, cluster.service.fqdn, cluster.subset, pod.namespace).policy;
    const states = outliers.get(cluster.name)?.snapshot();
    lines.push(`${cluster.name}::observability_name::${cluster.name}`);
    lines.push(`${cluster.name}::default_priority::max_connections::${policy.connectionPool.maxConnections}`);
    lines.push(
      `${cluster.name}::default_priority::max_pending_requests::${policy.connectionPool.maxPending}`,
    );
    lines.push(`${cluster.name}::default_priority::max_requests::${policy.connectionPool.maxRequests}`);
    lines.push(`${cluster.name}::default_priority::max_retries::4294967295`);
    lines.push(`${cluster.name}::added_via_api::true`);
    for (const host of cluster.hosts) {
      const health = healthOf(states, host);
      const prefix = `${cluster.name}::${host}`;
      lines.push(`${prefix}::cx_active::0`);
      lines.push(`${prefix}::rq_error::${health?.errors ?? 0}`);
      lines.push(`${prefix}::rq_success::${(health?.requests ?? 0) - (health?.errors ?? 0)}`);
      lines.push(`${prefix}::rq_total::${health?.requests ?? 0}`);
      lines.push(`${prefix}::health_flags::${health?.ejected ? '/failed_outlier_check' : 'healthy'}`);
      lines.push(`${prefix}::weight::1`);
      lines.push(`${prefix}::region::`);
      lines.push(`${prefix}::zone::`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function clustersJson(engine: TrafficEngine, pod: MeshPod): unknown {
  const config = engine.meshConfig();
  const outliers = engine.outlierStates(pod);
  return {
    cluster_statuses: outboundClusters(config, pod).map((cluster) => {
      const policy = trafficPolicy(config, cluster.service.fqdn, cluster.subset, pod.namespace).policy;
      const states = outliers.get(cluster.name)?.snapshot();
      return {
        name: cluster.name,
        added_via_api: true,
        circuit_breakers: {
          thresholds: [
            {
              max_connections: policy.connectionPool.maxConnections,
              max_pending_requests: policy.connectionPool.maxPending,
              max_requests: policy.connectionPool.maxRequests,
              max_retries: 4294967295,
            },
          ],
        },
        observability_name: cluster.name,
        host_statuses: cluster.hosts.map((host) => {
          const [address, port] = host.split(':');
          const health = healthOf(states, host);
          return {
            address: { socket_address: { address, port_value: Number(port) } },
            stats: [
              { name: 'cx_active', type: 'GAUGE', value: '0' },
              { name: 'rq_error', value: String(health?.errors ?? 0) },
              { name: 'rq_success', value: String((health?.requests ?? 0) - (health?.errors ?? 0)) },
              { name: 'rq_total', value: String(health?.requests ?? 0) },
            ],
            health_status: health?.ejected
              ? { failed_outlier_check: true, eds_health_status: 'HEALTHY' }
              : { eds_health_status: 'HEALTHY' },
            weight: 1,
          };
        }),
      };
    }),
  };
}

function durationString(milliseconds: number): string {
  return `${milliseconds / 1000}s`;
}

function clusterConfig(config: MeshConfig, pod: MeshPod, cluster: ClusterView): Record<string, unknown> {
  const policy = trafficPolicy(config, cluster.service.fqdn, cluster.subset, pod.namespace).policy;
  const result: Record<string, unknown> = {
    '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
    name: cluster.name,
    type: 'EDS',
    eds_cluster_config: {
      eds_config: { ads: {}, initial_fetch_timeout: '0s', resource_api_version: 'V3' },
      service_name: cluster.name,
    },
    connect_timeout: '10s',
    lb_policy:
      policy.loadBalancer === 'ROUND_ROBIN'
        ? 'ROUND_ROBIN'
        : policy.loadBalancer === 'RANDOM'
          ? 'RANDOM'
          : 'LEAST_REQUEST',
    circuit_breakers: {
      thresholds: [
        {
          max_connections: policy.connectionPool.maxConnections,
          max_pending_requests: policy.connectionPool.maxPending,
          max_requests: policy.connectionPool.maxRequests,
          max_retries: 4294967295,
          track_remaining: true,
        },
      ],
    },
    metadata: {
      filter_metadata: {
        istio: {
          services: [
            { host: cluster.service.fqdn, name: cluster.service.name, namespace: cluster.service.namespace },
          ],
          ...(cluster.subset ? { subset: cluster.subset } : {}),
        },
      },
    },
  };
  if (policy.outlier) {
    result.outlier_detection = {
      consecutive_5xx: policy.outlier.consecutive5xxErrors,
      interval: durationString(policy.outlier.intervalMs),
      base_ejection_time: durationString(policy.outlier.baseEjectionTimeMs),
      max_ejection_percent: policy.outlier.maxEjectionPercent,
      enforcing_consecutive_5xx: 100,
      enforcing_success_rate: 0,
      consecutive_gateway_failure: policy.outlier.consecutiveGatewayErrors || 4294967295,
      enforcing_consecutive_gateway_failure: policy.outlier.consecutiveGatewayErrors ? 100 : 0,
    };
  }
  if (policy.tlsMode === 'ISTIO_MUTUAL' || policy.tlsMode === undefined) {
    result.transport_socket_matches = [
      {
        name: 'tlsMode-istio',
        match: { tlsMode: 'istio' },
        transport_socket: {
          name: 'envoy.transport_sockets.tls',
          typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
            sni: cluster.name,
          },
        },
      },
      {
        name: 'tlsMode-disabled',
        match: {},
        transport_socket: { name: 'envoy.transport_sockets.raw_buffer' },
      },
    ];
  }
  return result;
}

/** Envoy routes for one port: a virtual host per service, routes from its VirtualService or a default route. */
function routeConfig(config: MeshConfig, pod: MeshPod, port: number): Record<string, unknown> {
  const virtualHosts: Record<string, unknown>[] = [];
  for (const service of config.services.values()) {
    if (!service.ports.some((candidate) => candidate.port === port)) continue;
    const virtualService = config.virtualServiceFor(service.fqdn, pod.namespace);
    const routes = virtualService
      ? list(record(virtualService.spec).http).map((http, index) => {
          const destinations = list(http.route).map((entry) => {
            const destination = record(entry.destination);
            const host = typeof destination.host === 'string' ? destination.host : service.name;
            const fqdn = host.includes('.')
              ? host
              : `${host}.${virtualService.metadata.namespace}.svc.cluster.local`;
            const subset = typeof destination.subset === 'string' ? destination.subset : '';
            return {
              name: `outbound|${port}|${subset}|${fqdn}`,
              weight: typeof entry.weight === 'number' ? entry.weight : 100,
            };
          });
          const action =
            destinations.length === 1
              ? { cluster: destinations[0]?.name }
              : { weighted_clusters: { clusters: destinations } };
          const route: Record<string, unknown> = {
            name:
              typeof http.name === 'string'
                ? http.name
                : `${virtualService.metadata.name}.${virtualService.metadata.namespace}.${index}`,
            match: { prefix: '/' },
            route: {
              ...action,
              timeout: typeof http.timeout === 'string' ? http.timeout : '0s',
              retry_policy: {
                retry_on: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
                num_retries: 2,
              },
            },
            metadata: {
              filter_metadata: {
                istio: {
                  config: `/apis/networking.istio.io/v1/namespaces/${virtualService.metadata.namespace}/virtual-service/${virtualService.metadata.name}`,
                },
              },
            },
          };
          if (http.fault !== undefined)
            route.typed_per_filter_config = {
              'envoy.filters.http.fault': {
                '@type': 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault',
                fault: http.fault,
              },
            };
          return route;
        })
      : [
          {
            name: 'default',
            match: { prefix: '/' },
            route: { cluster: `outbound|${port}||${service.fqdn}`, timeout: '0s' },
          },
        ];
    virtualHosts.push({
      name: `${service.fqdn}:${port}`,
      domains: [
        service.fqdn,
        `${service.name}.${service.namespace}`,
        service.name,
        `${service.name}:${port}`,
      ],
      routes,
      include_request_attempt_count: true,
    });
  }
  return {
    '@type': 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
    name: String(port),
    virtual_hosts: virtualHosts,
    validate_clusters: false,
  };
}

export function configDump(engine: TrafficEngine, pod: MeshPod): unknown {
  const config = engine.meshConfig();
  const clusters = outboundClusters(config, pod);
  const ports = [...new Set(clusters.map((cluster) => cluster.port))].sort((a, b) => a - b);
  const now = new Date().toISOString();
  return {
    configs: [
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump',
        bootstrap: {
          node: {
            id: `sidecar~${pod.ip}~${pod.name}.${pod.namespace}~${pod.namespace}.svc.cluster.local`,
            cluster: `${pod.app}.${pod.namespace}`,
            metadata: {
              NAMESPACE: pod.namespace,
              WORKLOAD_NAME: pod.workload,
              SERVICE_ACCOUNT: pod.serviceAccount,
            },
          },
        },
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
        version_info: now,
        dynamic_active_clusters: clusters.map((cluster) => ({
          version_info: now,
          cluster: clusterConfig(config, pod, cluster),
          last_updated: now,
        })),
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
        version_info: now,
        dynamic_listeners: [
          {
            name: 'virtualOutbound',
            active_state: {
              listener: {
                name: 'virtualOutbound',
                address: { socket_address: { address: '0.0.0.0', port_value: 15001 } },
              },
            },
          },
          {
            name: 'virtualInbound',
            active_state: {
              listener: {
                name: 'virtualInbound',
                address: { socket_address: { address: '0.0.0.0', port_value: 15006 } },
              },
            },
          },
          ...ports.map((port) => ({
            name: `0.0.0.0_${port}`,
            active_state: {
              listener: {
                name: `0.0.0.0_${port}`,
                address: { socket_address: { address: '0.0.0.0', port_value: port } },
              },
            },
          })),
        ],
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
        dynamic_route_configs: ports.map((port) => ({
          version_info: now,
          route_config: routeConfig(config, pod, port),
          last_updated: now,
        })),
      },
    ],
  };
}
