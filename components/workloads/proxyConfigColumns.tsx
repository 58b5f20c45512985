import type { Column } from '@/components/DataTable';
import { describeWeights } from '@/lib/envoy/config-dump';
import type { ClusterRow, ListenerRow, RouteRow } from '@/lib/types/workloads';

function limit(value: number | undefined): string {
  if (value === undefined) return '–';
  return value >= 4294967295 ? '∞' : String(value);
}

export const ROUTE_COLUMNS: readonly Column<RouteRow>[] = [
  { id: 'config', label: 'Route config', value: (row) => row.routeConfig },
  { id: 'vhost', label: 'Virtual host', isRowHeader: true, value: (row) => row.virtualHost },
  {
    id: 'domains',
    label: 'Domains',
    value: (row) => row.domains.slice(0, 3).join(', ') + (row.domains.length > 3 ? ', …' : ''),
  },
  { id: 'name', label: 'Route', value: (row) => row.name || '–' },
  { id: 'match', label: 'Match', value: (row) => row.match },
  {
    id: 'destination',
    label: 'Destination (weights)',
    value: (row) => (row.clusters.length > 0 ? describeWeights(row.clusters) : row.action),
    render: (row) => (
      <span title={row.clusters.map((cluster) => `${cluster.name}: ${cluster.weight}`).join('\n')}>
        {row.clusters.length > 0 ? describeWeights(row.clusters) : row.action}
      </span>
    ),
  },
  {
    id: 'timeout',
    label: 'Timeout',
    value: (row) => (row.timeout && row.timeout !== '0s' ? row.timeout : 'none'),
  },
  {
    id: 'retries',
    label: 'Retries',
    value: (row) =>
      row.retries
        ? `${row.retries.numRetries} on ${row.retries.retryOn}${row.retries.perTryTimeout ? `, ${row.retries.perTryTimeout} each` : ''}`
        : 'none',
  },
  {
    id: 'fault',
    label: 'Fault',
    value: (row) =>
      row.fault
        ? [
            row.fault.abortPercent !== undefined
              ? `abort ${row.fault.abortStatus ?? ''} ${row.fault.abortPercent}%`
              : '',
            row.fault.delayPercent !== undefined
              ? `delay ${row.fault.delay ?? ''} ${row.fault.delayPercent}%`
              : '',
          ]
            .filter(Boolean)
            .join(', ')
        : 'none',
  },
];

export const CLUSTER_COLUMNS: readonly Column<ClusterRow>[] = [
  { id: 'name', label: 'Cluster', isRowHeader: true, value: (row) => row.name },
  { id: 'fqdn', label: 'Service FQDN', value: (row) => row.fqdn },
  { id: 'port', label: 'Port', value: (row) => row.port ?? '–' },
  { id: 'subset', label: 'Subset', value: (row) => row.subset || '–' },
  { id: 'direction', label: 'Direction', value: (row) => row.direction || '–' },
  { id: 'type', label: 'Type', value: (row) => row.type },
  { id: 'lb', label: 'Load balancer', value: (row) => row.lbPolicy },
  {
    id: 'breakers',
    label: 'Circuit breakers (conn/pending/req/retries)',
    value: (row) =>
      row.circuitBreakers
        .map(
          (threshold) =>
            `${limit(threshold.maxConnections)}/${limit(threshold.maxPendingRequests)}/${limit(threshold.maxRequests)}/${limit(threshold.maxRetries)}`,
        )
        .join('; ') || 'defaults',
  },
  {
    id: 'outlier',
    label: 'Outlier detection',
    value: (row) =>
      row.outlierDetection
        ? `${row.outlierDetection.consecutive5xx ?? '–'} × 5xx, every ${row.outlierDetection.interval ?? '10s'}, eject ${row.outlierDetection.baseEjectionTime ?? '30s'}, max ${row.outlierDetection.maxEjectionPercent ?? 10}%`
        : 'off',
  },
  { id: 'tls', label: 'TLS', value: (row) => (row.tls === 'istio-mtls' ? 'Istio mTLS (auto)' : row.tls) },
];

export const LISTENER_COLUMNS: readonly Column<ListenerRow>[] = [
  { id: 'name', label: 'Listener', isRowHeader: true, value: (row) => row.name },
  { id: 'address', label: 'Address', value: (row) => `${row.address}:${row.port ?? ''}` },
  { id: 'direction', label: 'Direction', value: (row) => row.direction || '–' },
  { id: 'state', label: 'State', value: (row) => row.state },
  {
    id: 'chains',
    label: 'Filter chains',
    value: (row) =>
      row.filterChains
        .map(
          (chain) =>
            `${chain.match}: ${chain.filters.join(' → ') || 'no filters'}${chain.routeConfigs.length > 0 ? ` (routes ${chain.routeConfigs.join(', ')})` : ''}${chain.tcpClusters.length > 0 ? ` (to ${chain.tcpClusters.join(', ')})` : ''}`,
        )
        .join('; ') || 'none',
  },
  { id: 'routes', label: 'Route configs', value: (row) => row.routeConfigs.join(', ') || '–' },
];
