import { describeOrigin } from '@/lib/security/display';
import type { WorkloadMtls } from '@/lib/types/security';

/** A workload's ports: the mode each accepts, what decided it, and what its clients send. */
export function PortDetails({ workload }: { workload: WorkloadMtls }) {
  if (workload.ports.length === 0) return <p className="muted">No ports known for this workload.</p>;
  return (
    <table className="data-table">
      <caption>Ports of {workload.name}</caption>
      <thead>
        <tr>
          <th scope="col">Port</th>
          <th scope="col">Accepts</th>
          <th scope="col">Decided by</th>
          <th scope="col">Clients send</th>
        </tr>
      </thead>
      <tbody>
        {workload.ports.map((port) => (
          <tr key={port.port}>
            <th scope="row">{port.port}</th>
            <td>{workload.sidecar ? port.mode : 'anything (no sidecar)'}</td>
            <td>{describeOrigin(port.origin)}</td>
            <td>
              {port.clients.length === 0 ? (
                <span className="muted">no Service in front</span>
              ) : (
                <ul className="plain-list">
                  {port.clients.map((client) => (
                    <li
                      key={`${client.service.namespace}/${client.service.name}:${client.service.port}/${client.clientNamespace}/${client.subset ?? ''}`}
                    >
                      {client.service.name}:{client.service.port} from{' '}
                      {client.clientNamespace === '*' ? 'any namespace' : client.clientNamespace}
                      {client.subset ? ` (subset ${client.subset})` : ''}:{' '}
                      <strong>{client.mutual ? 'mTLS' : 'plaintext'}</strong> — {client.reason}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
