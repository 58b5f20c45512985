/**
 * Envoy's admin `/config_dump` (envoy.admin.v3.ConfigDump) read into the tables `istioctl
 * proxy-config clusters|listeners|routes` shows: clusters with their type, circuit breakers,
 * outlier detection and TLS; listeners with their address and filter chains (which route
 * configuration or TCP cluster each chain ends in); routes per route configuration and virtual
 * host with the match, the destination (weighted clusters with weights), timeout, retries and
 * faults. Static and dynamic (active, warming) resources are all read; unknown fields are ignored,
 * so newer Envoys still parse.
 */

export interface CircuitBreakerThresholds {
  priority: string;
  maxConnections?: number;
  maxPendingRequests?: number;
  maxRequests?: number;
  maxRetries?: number;
}

export interface OutlierDetectionConfig {
  consecutive5xx?: number;
  consecutiveGatewayFailure?: number;
  /** Envoy durations as written (`10s`, `0.5s`) */
  interval?: string;
  baseEjectionTime?: string;
  maxEjectionPercent?: number;
}

export interface ClusterRow {
  name: string;
  /** `inbound` / `outbound` of Istio's `outbound|PORT|SUBSET|FQDN`, empty for others */
  direction: string;
  port: number | undefined;
  subset: string;
  /** the FQDN of an Istio cluster, else the cluster name */
  fqdn: string;
  /** EDS, STATIC, ORIGINAL_DST, STRICT_DNS, or the custom cluster type's name */
  type: string;
  lbPolicy: string;
  connectTimeout: string;
  circuitBreakers: CircuitBreakerThresholds[];
  outlierDetection: OutlierDetectionConfig | undefined;
  /** how the upstream connection is secured: `istio-mtls` (auto mTLS matches), `tls`, `plaintext` */
  tls: 'istio-mtls' | 'tls' | 'plaintext';
  /** SNI sent upstream, when TLS */
  sni: string;
  /** `active`, `warming`, or `static` */
  state: string;
  lastUpdated: string;
}

export interface FilterChainRow {
  /** the chain's name, else a description of its match */
  name: string;
  /** `destination_port`, `server_names`, `transport_protocol`, `application_protocols` in words */
  match: string;
  /** network filters in order, short names (`http_connection_manager`, `tcp_proxy`) */
  filters: string[];
  /** route configuration names the chain's HTTP connection managers use (`inline` for inline ones) */
  routeConfigs: string[];
  /** the cluster(s) a tcp_proxy sends to */
  tcpClusters: string[];
}

export interface ListenerRow {
  name: string;
  address: string;
  port: number | undefined;
  /** INBOUND, OUTBOUND, or empty */
  direction: string;
  filterChains: FilterChainRow[];
  /** every route configuration name used by the listener's chains */
  routeConfigs: string[];
  state: string;
  lastUpdated: string;
}

export interface WeightedCluster {
  name: string;
  weight: number;
}

export interface RouteFault {
  /** percent of requests aborted, 0–100 */
  abortPercent?: number;
  abortStatus?: number;
  /** percent of requests delayed, 0–100 */
  delayPercent?: number;
  delay?: string;
}

export interface RouteRow {
  /** route configuration name (`9080`, `http.8080`, `inbound|9080||`) */
  routeConfig: string;
  virtualHost: string;
  domains: string[];
  /** the route's own name (Istio: the VirtualService http route's name or `default`) */
  name: string;
  /** `prefix /`, `path /login`, `regex ^/api/.*`, plus header matches */
  match: string;
  /** one cluster, or the weighted clusters with their weights */
  clusters: WeightedCluster[];
  /** what a route answers itself when it has no cluster: `redirect`, `direct 404`, `-` */
  action: string;
  timeout: string;
  retries: { retryOn: string; numRetries: number; perTryTimeout: string } | undefined;
  fault: RouteFault | undefined;
  /** the Istio object that produced the route (`/apis/networking.istio.io/v1/namespaces/NS/virtual-service/NAME`) */
  istioConfig: string;
}

export interface ParsedConfigDump {
  clusters: ClusterRow[];
  listeners: ListenerRow[];
  routes: RouteRow[];
  /** the proxy's node id and Istio version when the bootstrap says */
  node: { id: string; istioVersion: string } | undefined;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function arr(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** Envoy writes uint32 as numbers and uint64 (and wrapped values) as strings or `{value}`. */
function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  if (typeof value === 'object' && value !== null && 'value' in value) return num((value as Json).value);
  return undefined;
}

function typeOf(config: Json): string {
  return str(config['@type']).replace(/^type\.googleapis\.com\//, '');
}

function shortFilterName(name: string): string {
  return name.replace(/^envoy\.filters\.network\./, '').replace(/^envoy\./, '');
}

/** `outbound|9080|v1|reviews.default.svc.cluster.local` → its parts; others keep their name. */
export function splitClusterName(name: string): Pick<ClusterRow, 'direction' | 'port' | 'subset' | 'fqdn'> {
  const parts = name.split('|');
  if (parts.length === 4 && (parts[0] === 'outbound' || parts[0] === 'inbound')) {
    const port = Number(parts[1]);
    return {
      direction: parts[0] ?? '',
      port: Number.isFinite(port) ? port : undefined,
      subset: parts[2] ?? '',
      fqdn: parts[3] ?? '',
    };
  }
  return { direction: '', port: undefined, subset: '', fqdn: name };
}

function tlsOf(cluster: Json): Pick<ClusterRow, 'tls' | 'sni'> {
  const direct = obj(cluster.transport_socket);
  const matches = arr(cluster.transport_socket_matches);
  const sockets = [direct, ...matches.map((match) => obj(match.transport_socket))];
  const tlsSocket = sockets.find(
    (socket) => str(socket.name).includes('tls') || typeOf(obj(socket.typed_config)).includes('TlsContext'),
  );
  if (!tlsSocket) return { tls: 'plaintext', sni: '' };
  const sni = str(obj(tlsSocket.typed_config).sni);
  const istio = matches.some((match) => str(obj(match.match).tlsMode) === 'istio');
  return { tls: istio ? 'istio-mtls' : 'tls', sni };
}

function clusterRow(cluster: Json, state: string, lastUpdated: string): ClusterRow {
  const name = str(cluster.name);
  const outlier = cluster.outlier_detection === undefined ? undefined : obj(cluster.outlier_detection);
  return {
    name,
    ...splitClusterName(name),
    type: str(cluster.type) || str(obj(cluster.cluster_type).name) || 'EDS',
    lbPolicy: str(cluster.lb_policy) || 'ROUND_ROBIN',
    connectTimeout: str(cluster.connect_timeout),
    circuitBreakers: arr(obj(cluster.circuit_breakers).thresholds).map((threshold) => ({
      priority: str(threshold.priority) || 'DEFAULT',
      maxConnections: num(threshold.max_connections),
      maxPendingRequests: num(threshold.max_pending_requests),
      maxRequests: num(threshold.max_requests),
      maxRetries: num(threshold.max_retries),
    })),
    outlierDetection: outlier
      ? {
          consecutive5xx: num(outlier.consecutive_5xx),
          consecutiveGatewayFailure: num(outlier.consecutive_gateway_failure),
          interval: str(outlier.interval) || undefined,
          baseEjectionTime: str(outlier.base_ejection_time) || undefined,
          maxEjectionPercent: num(outlier.max_ejection_percent),
        }
      : undefined,
    ...tlsOf(cluster),
    state,
    lastUpdated,
  };
}

function chainMatch(match: Json): string {
  const parts: string[] = [];
  const port = num(match.destination_port);
  if (port !== undefined) parts.push(`port ${port}`);
  const prefixes = arr(match.prefix_ranges).map(
    (range) => `${str(range.address_prefix)}/${num(range.prefix_len) ?? 32}`,
  );
  if (prefixes.length > 0) parts.push(`ip ${prefixes.join(',')}`);
  const names = Array.isArray(match.server_names) ? match.server_names.map(str) : [];
  if (names.length > 0) parts.push(`sni ${names.join(',')}`);
  if (match.transport_protocol !== undefined) parts.push(`transport ${str(match.transport_protocol)}`);
  const alpn = Array.isArray(match.application_protocols) ? match.application_protocols.map(str) : [];
  if (alpn.length > 0) parts.push(`alpn ${alpn.join(',')}`);
  return parts.length > 0 ? parts.join('; ') : 'all';
}

function filterChainRow(chain: Json, fallbackName: string): FilterChainRow {
  const filters = arr(chain.filters);
  const routeConfigs: string[] = [];
  const tcpClusters: string[] = [];
  for (const filter of filters) {
    const config = obj(filter.typed_config);
    const type = typeOf(config);
    if (type.includes('HttpConnectionManager') || str(filter.name).includes('http_connection_manager')) {
      const rds = obj(config.rds);
      if (rds.route_config_name !== undefined) routeConfigs.push(str(rds.route_config_name));
      else if (config.route_config !== undefined)
        routeConfigs.push(str(obj(config.route_config).name) || 'inline');
    }
    if (type.includes('TcpProxy') || str(filter.name).includes('tcp_proxy')) {
      if (config.cluster !== undefined) tcpClusters.push(str(config.cluster));
      for (const weighted of arr(obj(config.weighted_clusters).clusters))
        tcpClusters.push(`${str(weighted.name)} (${num(weighted.weight) ?? 0})`);
    }
  }
  const match = chainMatch(obj(chain.filter_chain_match));
  return {
    name: str(chain.name) || fallbackName,
    match,
    filters: filters.map((filter) => shortFilterName(str(filter.name))),
    routeConfigs,
    tcpClusters,
  };
}

function listenerRow(listener: Json, state: string, lastUpdated: string): ListenerRow {
  const socket = obj(obj(listener.address).socket_address);
  const chains = arr(listener.filter_chains).map((chain, index) =>
    filterChainRow(chain, `chain ${index + 1}`),
  );
  if (listener.default_filter_chain !== undefined)
    chains.push(filterChainRow(obj(listener.default_filter_chain), 'default'));
  return {
    name: str(listener.name),
    address: str(socket.address),
    port: num(socket.port_value),
    direction: str(listener.traffic_direction),
    filterChains: chains,
    routeConfigs: [...new Set(chains.flatMap((chain) => chain.routeConfigs))],
    state,
    lastUpdated,
  };
}

/** Envoy's FractionalPercent (`{numerator, denominator}`) or Istio's Percent (`{value}`) as 0–100. */
function percentOf(value: unknown): number | undefined {
  const percent = obj(value);
  if (percent.value !== undefined) return num(percent.value);
  const numerator = num(percent.numerator);
  if (numerator === undefined) return value === undefined ? undefined : 0;
  const denominator = str(percent.denominator) || 'HUNDRED';
  const scale = denominator === 'MILLION' ? 10_000 : denominator === 'TEN_THOUSAND' ? 100 : 1;
  return numerator / scale;
}

function faultOf(route: Json): RouteFault | undefined {
  const perFilter = obj(route.typed_per_filter_config);
  const entry = Object.entries(perFilter).find(([name]) => name.includes('fault'));
  if (!entry) return undefined;
  const config = obj(entry[1]);
  // Envoy's HTTPFault has abort/delay at the top; the simulator nests Istio's form under `fault`.
  const fault = config.abort !== undefined || config.delay !== undefined ? config : obj(config.fault);
  const abort = fault.abort === undefined ? undefined : obj(fault.abort);
  const delay = fault.delay === undefined ? undefined : obj(fault.delay);
  const result: RouteFault = {};
  if (abort) {
    result.abortPercent = percentOf(abort.percentage) ?? 100;
    const status = num(abort.http_status) ?? num(abort.httpStatus);
    if (status !== undefined) result.abortStatus = status;
  }
  if (delay) {
    result.delayPercent = percentOf(delay.percentage) ?? 100;
    const fixed = str(delay.fixed_delay) || str(delay.fixedDelay);
    if (fixed) result.delay = fixed;
  }
  return abort || delay ? result : undefined;
}

function stringMatch(match: Json): string {
  if (match.exact !== undefined) return `= ${str(match.exact)}`;
  if (match.prefix !== undefined) return `prefix ${str(match.prefix)}`;
  if (match.suffix !== undefined) return `suffix ${str(match.suffix)}`;
  if (match.safe_regex !== undefined) return `~ ${str(obj(match.safe_regex).regex)}`;
  if (match.contains !== undefined) return `contains ${str(match.contains)}`;
  return 'present';
}

function routeMatch(match: Json): string {
  const parts: string[] = [];
  if (match.prefix !== undefined) parts.push(`prefix ${str(match.prefix)}`);
  else if (match.path !== undefined) parts.push(`path ${str(match.path)}`);
  else if (match.safe_regex !== undefined) parts.push(`regex ${str(obj(match.safe_regex).regex)}`);
  else if (match.path_separated_prefix !== undefined)
    parts.push(`path prefix ${str(match.path_separated_prefix)}`);
  else if (match.connect_matcher !== undefined) parts.push('CONNECT');
  for (const header of arr(match.headers)) {
    const name = str(header.name);
    const matcher =
      header.string_match !== undefined
        ? stringMatch(obj(header.string_match))
        : header.exact_match !== undefined
          ? `= ${str(header.exact_match)}`
          : header.prefix_match !== undefined
            ? `prefix ${str(header.prefix_match)}`
            : header.safe_regex_match !== undefined
              ? `~ ${str(obj(header.safe_regex_match).regex)}`
              : 'present';
    parts.push(`${header.invert_match === true ? 'not ' : ''}header ${name} ${matcher}`);
  }
  for (const parameter of arr(match.query_parameters))
    parts.push(`query ${str(parameter.name)} ${stringMatch(obj(parameter.string_match))}`);
  return parts.join('; ') || 'any';
}

function routeRows(routeConfig: Json): RouteRow[] {
  const rows: RouteRow[] = [];
  const configName = str(routeConfig.name);
  for (const host of arr(routeConfig.virtual_hosts)) {
    const domains = Array.isArray(host.domains) ? host.domains.map(str) : [];
    for (const route of arr(host.routes)) {
      const action = obj(route.route);
      let clusters: WeightedCluster[] = [];
      if (action.cluster !== undefined) clusters = [{ name: str(action.cluster), weight: 100 }];
      else if (action.weighted_clusters !== undefined)
        clusters = arr(obj(action.weighted_clusters).clusters).map((cluster) => ({
          name: str(cluster.name),
          weight: num(cluster.weight) ?? 0,
        }));
      else if (action.cluster_header !== undefined)
        clusters = [{ name: `header ${str(action.cluster_header)}`, weight: 100 }];
      const other =
        route.redirect !== undefined
          ? 'redirect'
          : route.direct_response !== undefined
            ? `direct ${num(obj(route.direct_response).status) ?? ''}`.trim()
            : route.filter_action !== undefined
              ? 'filter action'
              : '-';
      const retry = action.retry_policy === undefined ? undefined : obj(action.retry_policy);
      rows.push({
        routeConfig: configName,
        virtualHost: str(host.name),
        domains,
        name: str(route.name),
        match: routeMatch(obj(route.match)),
        clusters,
        action: clusters.length > 0 ? 'route' : other,
        timeout: str(action.timeout),
        retries: retry
          ? {
              retryOn: str(retry.retry_on),
              numRetries: num(retry.num_retries) ?? 1,
              perTryTimeout: str(retry.per_try_timeout),
            }
          : undefined,
        fault: faultOf(route),
        istioConfig: str(obj(obj(obj(route.metadata).filter_metadata).istio).config),
      });
    }
  }
  return rows;
}

/** A parsed `/config_dump` (the JSON object, or its text). */
export function parseConfigDump(dump: unknown): ParsedConfigDump {
  const root = obj(typeof dump === 'string' ? JSON.parse(dump) : dump);
  const result: ParsedConfigDump = { clusters: [], listeners: [], routes: [], node: undefined };
  for (const config of arr(root.configs)) {
    const type = typeOf(config);
    if (type.endsWith('BootstrapConfigDump')) {
      const node = obj(obj(config.bootstrap).node);
      result.node = { id: str(node.id), istioVersion: str(obj(node.metadata).ISTIO_VERSION) };
    } else if (type.endsWith('ClustersConfigDump')) {
      for (const entry of arr(config.static_clusters))
        result.clusters.push(clusterRow(obj(entry.cluster), 'static', str(entry.last_updated)));
      for (const entry of arr(config.dynamic_active_clusters))
        result.clusters.push(clusterRow(obj(entry.cluster), 'active', str(entry.last_updated)));
      for (const entry of arr(config.dynamic_warming_clusters))
        result.clusters.push(clusterRow(obj(entry.cluster), 'warming', str(entry.last_updated)));
    } else if (type.endsWith('ListenersConfigDump')) {
      for (const entry of arr(config.static_listeners))
        result.listeners.push(listenerRow(obj(entry.listener), 'static', str(entry.last_updated)));
      for (const entry of arr(config.dynamic_listeners)) {
        for (const state of ['active', 'warming', 'draining'] as const) {
          const held = entry[`${state}_state`];
          if (held === undefined) continue;
          const listener = obj(obj(held).listener);
          result.listeners.push(listenerRow(listener, state, str(obj(held).last_updated)));
        }
      }
    } else if (type.endsWith('RoutesConfigDump')) {
      for (const entry of [...arr(config.static_route_configs), ...arr(config.dynamic_route_configs)])
        result.routes.push(...routeRows(obj(entry.route_config)));
    }
  }
  return result;
}

/** The route, cluster or listener rows whose text contains every word of `search` (case-insensitive). */
export function searchRows<Row>(rows: readonly Row[], search: string): Row[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const text = JSON.stringify(row).toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** `outbound|9080|v3|reviews.default.svc.cluster.local` (80) → `reviews v3 80%`, for tables. */
export function describeWeights(clusters: readonly WeightedCluster[]): string {
  const total = clusters.reduce((sum, cluster) => sum + cluster.weight, 0);
  return clusters
    .map((cluster) => {
      const parts = splitClusterName(cluster.name);
      const label = parts.direction
        ? `${parts.fqdn.split('.')[0]}${parts.subset ? ` ${parts.subset}` : ''}`
        : cluster.name;
      const share = total > 0 ? Math.round((cluster.weight / total) * 1000) / 10 : 0;
      return clusters.length > 1 ? `${label} ${share}%` : label;
    })
    .join(', ');
}
