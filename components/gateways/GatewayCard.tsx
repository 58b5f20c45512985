import Link from 'next/link';
import { formatRatio, formatRps } from '@/lib/format/traffic';
import { configObjectHref } from '@/lib/istio-config/kinds';
import { serviceHref, workloadHref } from '@/lib/services/href';
import type { GatewayServer, GatewaySummary, GatewayTraffic } from '@/lib/types/gateways';
import { SeverityBadge } from '../config/SeverityBadge';
import { type Column, DataTable } from '../DataTable';

const SERVER_COLUMNS: readonly Column<GatewayServer>[] = [
  {
    id: 'port',
    label: 'Port',
    isRowHeader: true,
    value: (server) => `${server.port}${server.portName ? ` (${server.portName})` : ''}`,
  },
  { id: 'protocol', label: 'Protocol', value: (server) => server.protocol },
  { id: 'hosts', label: 'Hosts', value: (server) => server.hosts.join(', ') },
  {
    id: 'tls',
    label: 'TLS',
    value: (server) =>
      server.tlsMode
        ? `${server.tlsMode}${server.httpsRedirect ? ', redirects to HTTPS' : ''}`
        : server.httpsRedirect
          ? 'redirects to HTTPS'
          : 'none',
  },
  { id: 'credential', label: 'Credential', value: (server) => server.credentialName ?? '—' },
];

const TRAFFIC_COLUMNS: readonly Column<GatewayTraffic>[] = [
  {
    id: 'service',
    label: 'To service',
    isRowHeader: true,
    value: (row) => `${row.namespace}/${row.service}`,
    render: (row) => (
      <Link href={serviceHref(row.namespace, row.service)}>{`${row.namespace}/${row.service}`}</Link>
    ),
  },
  { id: 'rps', label: 'Requests (req/s)', value: (row) => formatRps(row.requestRate) },
  { id: 'errors', label: 'Errors', value: (row) => formatRatio(row.errorRate) },
];

/** One Gateway: servers, the pods it runs on, the VirtualServices bound to it and the traffic entering. */
export function GatewayCard({ gateway }: { gateway: GatewaySummary }) {
  const selector = Object.entries(gateway.selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  return (
    <article
      className="gateway-card"
      aria-labelledby={`gw-${gateway.namespace}-${gateway.name}`}
      data-testid="gateway"
    >
      <h2 id={`gw-${gateway.namespace}-${gateway.name}`}>
        <Link href={configObjectHref({ kind: 'Gateway', ...gateway })}>{gateway.name}</Link>{' '}
        <span className="muted">in {gateway.namespace}</span>
      </h2>
      <DataTable
        label={`Servers of ${gateway.name}`}
        columns={SERVER_COLUMNS}
        rows={gateway.servers}
        rowKey={(server) => `${server.port}/${server.portName}`}
        testId="gateway-servers"
      />
      <h3>Gateway workload</h3>
      {gateway.workloads.length === 0 ? (
        <p className="muted">
          No pod matches the selector {selector || '(none)'}: this Gateway configures no proxy and no traffic
          enters through it.
        </p>
      ) : (
        <ul aria-label={`Workloads selected by ${gateway.name}`}>
          {gateway.workloads.map((workload) => (
            <li key={`${workload.namespace}/${workload.name}`}>
              <Link href={workloadHref(workload.namespace, workload.name)}>
                {workload.namespace}/{workload.name}
              </Link>{' '}
              <span className="muted">
                (selector {selector}; {workload.pods.filter((pod) => pod.ready).length} of{' '}
                {workload.pods.length} pods ready)
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>Bound VirtualServices</h3>
      {gateway.virtualServices.length === 0 ? (
        <p className="muted">
          No VirtualService names this Gateway in its `gateways`: requests reaching it get 404.
        </p>
      ) : (
        <ul aria-label={`VirtualServices bound to ${gateway.name}`} data-testid="gateway-virtualservices">
          {gateway.virtualServices.map((vs) => (
            <li key={`${vs.namespace}/${vs.name}`}>
              <Link href={configObjectHref({ kind: 'VirtualService', ...vs })}>
                {vs.namespace}/{vs.name}
              </Link>{' '}
              <span className="muted">
                hosts {vs.hosts.join(', ') || '(none)'}
                {vs.destinations.length > 0 ? ` → ${vs.destinations.join(', ')}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>Traffic entering the mesh</h3>
      {gateway.traffic.length === 0 ? (
        <p className="muted">No requests from the gateway workload in the window.</p>
      ) : (
        <DataTable
          label={`Requests from ${gateway.name}'s workload, ${formatRps(gateway.totalRequestRate)} req/s in all`}
          columns={TRAFFIC_COLUMNS}
          rows={gateway.traffic}
          rowKey={(row) => `${row.namespace}/${row.service}`}
        />
      )}
      {gateway.findings.length > 0 && (
        <>
          <h3>Findings</h3>
          <ul>
            {gateway.findings.map((finding) => (
              <li key={`${finding.code}:${finding.path}`}>
                <SeverityBadge severity={finding.severity} /> {finding.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
