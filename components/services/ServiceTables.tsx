import Link from 'next/link';
import { workloadHref } from '@/lib/services/href';
import type { ServiceDetail, ServiceEndpoint, ServicePort } from '@/lib/types/services';
import { type Column, DataTable } from '../DataTable';

const PORT_COLUMNS: readonly Column<ServicePort>[] = [
  { id: 'name', label: 'Name', isRowHeader: true, value: (port) => port.name || '(unnamed)' },
  { id: 'port', label: 'Port', value: (port) => port.port },
  { id: 'protocol', label: 'Protocol', value: (port) => port.protocol },
  { id: 'appProtocol', label: 'App protocol', value: (port) => port.appProtocol ?? '—' },
  { id: 'targetPort', label: 'Target port', value: (port) => port.targetPort },
];

function endpointColumns(namespace: string): Column<ServiceEndpoint>[] {
  return [
    { id: 'pod', label: 'Pod', isRowHeader: true, value: (endpoint) => endpoint.pod },
    { id: 'ip', label: 'IP', value: (endpoint) => endpoint.ip || '—' },
    {
      id: 'ready',
      label: 'Ready',
      value: (endpoint) => (endpoint.ready ? 'Ready' : `Not ready (${endpoint.phase})`),
    },
    {
      id: 'workload',
      label: 'Workload',
      value: (endpoint) => endpoint.workload,
      render: (endpoint) => (
        <Link href={workloadHref(namespace, endpoint.workload)}>{endpoint.workload}</Link>
      ),
    },
    { id: 'sidecar', label: 'Sidecar', value: (endpoint) => (endpoint.sidecar ? 'Present' : 'Missing') },
  ];
}

/** The service's ports and the pods behind it. */
export function ServiceTables({ detail }: { detail: ServiceDetail }) {
  return (
    <>
      <section aria-labelledby="service-ports">
        <h2 id="service-ports">Ports</h2>
        <DataTable
          label="Ports"
          columns={PORT_COLUMNS}
          rows={detail.ports}
          rowKey={(port) => String(port.port)}
        />
      </section>
      <section aria-labelledby="service-endpoints">
        <h2 id="service-endpoints">Endpoints</h2>
        {detail.endpoints.length === 0 ? (
          <p className="muted">
            {Object.keys(detail.selector).length === 0
              ? 'The service has no selector: its endpoints are managed by hand, not from pods.'
              : `No pod matches the selector ${Object.entries(detail.selector)
                  .map(([key, value]) => `${key}=${value}`)
                  .join(',')}.`}
          </p>
        ) : (
          <DataTable
            label="Endpoints"
            columns={endpointColumns(detail.namespace)}
            rows={detail.endpoints}
            rowKey={(endpoint) => endpoint.pod}
            testId="service-endpoints"
          />
        )}
      </section>
    </>
  );
}
