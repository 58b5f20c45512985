/**
 * Envoy's admin `/clusters`, text and `?format=json`, read into one shape. The two formats say the
 * same things differently, and both changed over Envoy's releases; what the parsers accept:
 *
 * - text (`ClustersHandler::writeClustersAsText`): `CLUSTER::KEY::VALUE` lines for the cluster
 *   (`observability_name`, `outlier::success_rate_average`, `default_priority::max_connections`,
 *   `high_priority::…`, `added_via_api`, `eds_service_name`) and `CLUSTER::ADDRESS::KEY::VALUE`
 *   lines per host: its counters and gauges sorted by name (`cx_active`, `rq_error`, …), then
 *   `hostname`, `health_flags` (`healthy`, or flags such as `/failed_outlier_check/failed_active_hc`),
 *   `weight`, `region`, `zone`, `sub_zone`, `canary`, `priority`, `success_rate` (-1 when unknown),
 *   `local_origin_success_rate`. Addresses may be IPv6 (`[fd00::1]:9080`) or pipes (`./etc/…/XDS`).
 * - JSON (`envoy.admin.v3.Clusters`): `cluster_statuses[]` with `host_statuses[]`. Envoy's older
 *   protobuf printer writes uint64 stat values as strings and leaves out zeros and defaults (a stat
 *   `{ "name": "rq_error" }` is 0, a threshold without `priority` is DEFAULT); the streaming renderer
 *   of newer releases writes numbers and `"type": "COUNTER"`. Health is a set of booleans plus
 *   `eds_health_status` (HEALTHY, UNHEALTHY, DRAINING, TIMEOUT, DEGRADED).
 */

/** The health flags Envoy sets on a host (`Host::HealthFlag`), as the text format names them. */
export const HEALTH_FLAGS = {
  failed_active_hc: 'failing its active health check',
  failed_outlier_check: 'ejected by outlier detection',
  failed_eds_health: 'marked unhealthy by the control plane (EDS)',
  degraded_active_hc: 'degraded by its active health check',
  degraded_eds_health: 'marked degraded by the control plane (EDS)',
  pending_dynamic_removal: 'removed from service discovery, kept until its connections drain',
  pending_active_hc: 'waiting for its first active health check',
  excluded_via_immediate_hc_fail: 'excluded after an immediate health-check failure',
  active_hc_timeout: 'its active health check timed out',
  eds_status_draining: 'draining, as the control plane (EDS) says',
} as const;

export type HealthFlag = keyof typeof HEALTH_FLAGS;

export type ThresholdPriority = 'default' | 'high';

/** Circuit-breaker limits of one routing priority; undefined where Envoy did not say. */
export interface CircuitBreakerThresholds {
  priority: ThresholdPriority;
  maxConnections: number | undefined;
  maxPendingRequests: number | undefined;
  maxRequests: number | undefined;
  maxRetries: number | undefined;
}

export interface EnvoyHost {
  /** IP (without brackets for IPv6), a pipe path, or an internal address name */
  address: string;
  /** undefined for pipes and internal addresses */
  port: number | undefined;
  hostname: string;
  /** health flags in Envoy's order, known or not; empty when healthy */
  healthFlags: string[];
  /** per-host counters and gauges (`rq_total`, `rq_error`, `cx_active`, …) */
  stats: Record<string, number>;
  weight: number;
  /** the host's priority level in its cluster (0 is the first choice) */
  priority: number;
  region: string;
  zone: string;
  subZone: string;
  canary: boolean;
  /** success rate in percent as outlier detection computed it; undefined when not computed */
  successRate: number | undefined;
  localOriginSuccessRate: number | undefined;
}

export interface EnvoyCluster {
  name: string;
  observabilityName: string;
  edsServiceName: string | undefined;
  addedViaApi: boolean;
  circuitBreakers: CircuitBreakerThresholds[];
  /** success-rate outlier detection's threshold, percent; undefined when not computed */
  successRateEjectionThreshold: number | undefined;
  hosts: EnvoyHost[];
}

const unlimited = 2 ** 32 - 1;

/** A circuit-breaker limit as a number, `null` for Envoy's "no limit" (2^32 - 1). */
export function limitOf(value: number | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  return value >= unlimited ? null : value;
}

function emptyCluster(name: string): EnvoyCluster {
  return {
    name,
    observabilityName: name,
    edsServiceName: undefined,
    addedViaApi: false,
    circuitBreakers: [],
    successRateEjectionThreshold: undefined,
    hosts: [],
  };
}

function emptyHost(address: string, port: number | undefined): EnvoyHost {
  return {
    address,
    port,
    hostname: '',
    healthFlags: [],
    stats: {},
    weight: 1,
    priority: 0,
    region: '',
    zone: '',
    subZone: '',
    canary: false,
    successRate: undefined,
    localOriginSuccessRate: undefined,
  };
}

/** Envoy writes -1 for a success rate it did not compute. */
function rate(value: number): number | undefined {
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function numberOf(text: string): number {
  const value = Number(text);
  return Number.isFinite(value) ? value : 0;
}

/** `health_flags` text: `healthy`, or `/flag/flag`. */
export function parseHealthFlags(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'healthy') return [];
  return trimmed.split('/').filter((flag) => flag !== '');
}

/** `10.0.0.1:9080`, `[fd00::1]:9080`, `./etc/istio/proxy/XDS` → address and port. */
export function splitHostAddress(text: string): { address: string; port: number | undefined } {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracketed?.[1] && bracketed[2]) return { address: bracketed[1], port: Number(bracketed[2]) };
  const plain = /^([^:/[\]]+):(\d+)$/.exec(text);
  if (plain?.[1] && plain[2]) return { address: plain[1], port: Number(plain[2]) };
  return { address: text, port: undefined };
}

/** Where the host part of `rest` (after `CLUSTER::`) ends: IPv6 addresses contain `::` themselves. */
function hostEnd(rest: string): number {
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    return close < 0 ? -1 : rest.indexOf('::', close);
  }
  return rest.indexOf('::');
}

const clusterKeys = new Set(['observability_name', 'added_via_api', 'eds_service_name', 'outlier']);
const thresholdKeys: Record<string, keyof Omit<CircuitBreakerThresholds, 'priority'>> = {
  max_connections: 'maxConnections',
  max_pending_requests: 'maxPendingRequests',
  max_requests: 'maxRequests',
  max_retries: 'maxRetries',
};

function thresholdsOf(cluster: EnvoyCluster, priority: ThresholdPriority): CircuitBreakerThresholds {
  let found = cluster.circuitBreakers.find((entry) => entry.priority === priority);
  if (!found) {
    found = {
      priority,
      maxConnections: undefined,
      maxPendingRequests: undefined,
      maxRequests: undefined,
      maxRetries: undefined,
    };
    cluster.circuitBreakers.push(found);
  }
  return found;
}

function applyClusterLine(cluster: EnvoyCluster, key: string, value: string): void {
  if (key === 'observability_name') cluster.observabilityName = value;
  else if (key === 'added_via_api') cluster.addedViaApi = value === 'true';
  else if (key === 'eds_service_name') cluster.edsServiceName = value;
  else if (key === 'outlier') {
    const [name, amount] = value.split('::');
    if (name === 'success_rate_ejection_threshold' && amount !== undefined)
      cluster.successRateEjectionThreshold = rate(numberOf(amount));
  }
}

function applyHostLine(host: EnvoyHost, key: string, value: string): void {
  switch (key) {
    case 'hostname':
      host.hostname = value;
      return;
    case 'health_flags':
      host.healthFlags = parseHealthFlags(value);
      return;
    case 'weight':
      host.weight = numberOf(value);
      return;
    case 'region':
      host.region = value;
      return;
    case 'zone':
      host.zone = value;
      return;
    case 'sub_zone':
      host.subZone = value;
      return;
    case 'canary':
      host.canary = value === 'true';
      return;
    case 'priority':
      host.priority = numberOf(value);
      return;
    case 'success_rate':
      host.successRate = rate(numberOf(value));
      return;
    case 'local_origin_success_rate':
      host.localOriginSuccessRate = rate(numberOf(value));
      return;
    default:
      // Everything else on a host line is one of its counters or gauges.
      host.stats[key] = numberOf(value);
  }
}

/** `/clusters` in Envoy's text format. Lines it cannot read are skipped, never fatal. */
export function parseClustersText(text: string): EnvoyCluster[] {
  const clusters = new Map<string, EnvoyCluster>();
  const hosts = new Map<string, EnvoyHost>();
  for (const line of text.split('\n')) {
    const split = line.indexOf('::');
    if (split <= 0) continue;
    const name = line.slice(0, split);
    const rest = line.slice(split + 2);
    let cluster = clusters.get(name);
    if (!cluster) {
      cluster = emptyCluster(name);
      clusters.set(name, cluster);
    }
    const first = rest.indexOf('::');
    if (first < 0) continue;
    const firstKey = rest.slice(0, first);
    const priority = /^(default|high)_priority$/.exec(firstKey)?.[1] as ThresholdPriority | undefined;
    if (priority) {
      const [key, value] = rest.slice(first + 2).split('::');
      const field = key === undefined ? undefined : thresholdKeys[key];
      if (field && value !== undefined) thresholdsOf(cluster, priority)[field] = numberOf(value);
      continue;
    }
    if (clusterKeys.has(firstKey)) {
      applyClusterLine(cluster, firstKey, rest.slice(first + 2));
      continue;
    }
    const end = hostEnd(rest);
    if (end < 0) continue;
    const addressText = rest.slice(0, end);
    const keyValue = rest.slice(end + 2);
    const separator = keyValue.indexOf('::');
    if (separator < 0) continue;
    const hostKey = `${name}\n${addressText}`;
    let host = hosts.get(hostKey);
    if (!host) {
      const { address, port } = splitHostAddress(addressText);
      host = emptyHost(address, port);
      hosts.set(hostKey, host);
      cluster.hosts.push(host);
    }
    applyHostLine(host, keyValue.slice(0, separator), keyValue.slice(separator + 2));
  }
  return [...clusters.values()];
}

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function array(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(object) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A protobuf JSON number: a number, a string (uint64), or absent (zero). */
function protoNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return numberOf(value);
  return 0;
}

/** A wrapper (`UInt32Value`) or a bare number; undefined when absent. */
function optionalNumber(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return optionalNumber((value as Json).value);
  return protoNumber(value);
}

/** `{ "value": 98.5 }` (`envoy.type.v3.Percent`); undefined when absent. */
function percent(value: unknown): number | undefined {
  const inner = object(value).value;
  return inner === undefined ? undefined : rate(protoNumber(inner));
}

const jsonFlags: [string, HealthFlag][] = [
  ['failed_active_health_check', 'failed_active_hc'],
  ['failed_outlier_check', 'failed_outlier_check'],
  ['failed_active_degraded_check', 'degraded_active_hc'],
  ['pending_dynamic_removal', 'pending_dynamic_removal'],
  ['pending_active_hc', 'pending_active_hc'],
  ['excluded_via_immediate_hc_fail', 'excluded_via_immediate_hc_fail'],
  ['active_hc_timeout', 'active_hc_timeout'],
];

/** `eds_health_status` values that are a flag in the text format. */
const edsFlags: Record<string, HealthFlag> = {
  UNHEALTHY: 'failed_eds_health',
  TIMEOUT: 'failed_eds_health',
  DEGRADED: 'degraded_eds_health',
  DRAINING: 'eds_status_draining',
};

/** The text format's flags from a JSON `health_status`, in the text format's order. */
export function healthFlagsOfJson(status: unknown): string[] {
  const health = object(status);
  const set = new Set<string>();
  for (const [field, flag] of jsonFlags) if (health[field] === true) set.add(flag);
  const eds = edsFlags[text(health.eds_health_status)];
  if (eds) set.add(eds);
  const order = Object.keys(HEALTH_FLAGS);
  return [...set].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

function addressOf(value: unknown): { address: string; port: number | undefined } {
  const address = object(value);
  const socket = object(address.socket_address);
  if (typeof socket.address === 'string') {
    return { address: socket.address, port: optionalNumber(socket.port_value) };
  }
  const pipe = object(address.pipe);
  if (typeof pipe.path === 'string') return { address: pipe.path, port: undefined };
  const internal = object(address.envoy_internal_address);
  if (typeof internal.server_listener_name === 'string')
    return { address: internal.server_listener_name, port: undefined };
  return { address: '', port: undefined };
}

function hostOfJson(status: Json): EnvoyHost {
  const { address, port } = addressOf(status.address);
  const host = emptyHost(address, port);
  const locality = object(status.locality);
  host.hostname = text(status.hostname);
  host.healthFlags = healthFlagsOfJson(status.health_status);
  for (const stat of array(status.stats)) {
    if (typeof stat.name === 'string') host.stats[stat.name] = protoNumber(stat.value);
  }
  host.weight = status.weight === undefined ? 1 : protoNumber(status.weight);
  host.priority = protoNumber(status.priority);
  host.region = text(locality.region);
  host.zone = text(locality.zone);
  host.subZone = text(locality.sub_zone);
  host.successRate = percent(status.success_rate);
  host.localOriginSuccessRate = percent(status.local_origin_success_rate);
  return host;
}

function thresholdsOfJson(entry: Json): CircuitBreakerThresholds {
  return {
    // protobuf JSON leaves out the enum's zero value, DEFAULT.
    priority: text(entry.priority).toUpperCase() === 'HIGH' ? 'high' : 'default',
    maxConnections: optionalNumber(entry.max_connections),
    maxPendingRequests: optionalNumber(entry.max_pending_requests),
    maxRequests: optionalNumber(entry.max_requests),
    maxRetries: optionalNumber(entry.max_retries),
  };
}

/** `/clusters?format=json`, parsed or as text. Entries it cannot read are skipped. */
export function parseClustersJson(body: unknown): EnvoyCluster[] {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return [];
    }
  }
  return array(object(parsed).cluster_statuses)
    .filter((status) => typeof status.name === 'string')
    .map((status) => {
      const name = text(status.name);
      return {
        name,
        observabilityName: text(status.observability_name) || name,
        edsServiceName: typeof status.eds_service_name === 'string' ? status.eds_service_name : undefined,
        addedViaApi: status.added_via_api === true,
        circuitBreakers: array(object(status.circuit_breakers).thresholds).map(thresholdsOfJson),
        successRateEjectionThreshold: percent(status.success_rate_ejection_threshold),
        hosts: array(status.host_statuses).map(hostOfJson),
      };
    });
}

/** Either format: JSON when the body looks like it, else text. */
export function parseClusters(body: string): EnvoyCluster[] {
  return body.trimStart().startsWith('{') ? parseClustersJson(body) : parseClustersText(body);
}

/** Istio's cluster name `outbound|9080|v3|reviews.default.svc.cluster.local`, read. */
export interface IstioClusterName {
  direction: 'outbound' | 'inbound';
  port: number;
  /** empty for the service as a whole */
  subset: string;
  host: string;
}

export function parseIstioClusterName(name: string): IstioClusterName | undefined {
  const parts = name.split('|');
  if (parts.length !== 4) return undefined;
  const [direction, port, subset, host] = parts as [string, string, string, string];
  if ((direction !== 'outbound' && direction !== 'inbound') || !/^\d+$/.test(port)) return undefined;
  return { direction, port: Number(port), subset, host };
}

/** The host's standing in load balancing, worst first when several flags are set. */
export type HostHealth =
  | 'ejected'
  | 'failed-health-check'
  | 'unhealthy'
  | 'draining'
  | 'pending-removal'
  | 'pending-health-check'
  | 'degraded'
  | 'healthy';

/** One word for a host's flags; outlier ejection wins, as it is what this dashboard is about. */
export function hostHealth(flags: readonly string[]): HostHealth {
  const has = (flag: HealthFlag) => flags.includes(flag);
  if (has('failed_outlier_check')) return 'ejected';
  if (has('failed_active_hc') || has('active_hc_timeout') || has('excluded_via_immediate_hc_fail'))
    return 'failed-health-check';
  if (has('failed_eds_health')) return 'unhealthy';
  if (has('eds_status_draining')) return 'draining';
  if (has('pending_dynamic_removal')) return 'pending-removal';
  if (has('pending_active_hc')) return 'pending-health-check';
  if (has('degraded_active_hc') || has('degraded_eds_health')) return 'degraded';
  return 'healthy';
}
