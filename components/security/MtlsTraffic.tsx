import { formatRps } from '@/lib/format/traffic';
import { isMismatch } from '@/lib/security/display';
import type { MtlsResponse } from '@/lib/types/security';
import { SeverityBadge } from '../config/SeverityBadge';

const nameOf = (entry: { namespace: string; workload: string }) =>
  entry.workload === 'unknown' ? 'unknown (no sidecar)' : `${entry.namespace}/${entry.workload}`;

/**
 * What traffic did next to what configuration says: the mTLS share of each observed edge, with
 * mismatches first and marked; then the configuration conflicts in words.
 */
export function MtlsTraffic({ view }: { view: MtlsResponse }) {
  const edges = [...view.edges].sort((a, b) => Number(Boolean(b.mismatch)) - Number(Boolean(a.mismatch)));
  const modeOf = new Map(
    view.workloads.map((workload) => [`${workload.namespace}/${workload.name}`, workload]),
  );
  const conflicts = view.conflicts;
  return (
    <>
      {view.telemetry === null ? (
        <p className="muted">No telemetry: the observed mTLS share cannot be shown.</p>
      ) : edges.length === 0 ? (
        <p className="muted">No requests observed in the last {view.telemetry.windowSeconds} s.</p>
      ) : (
        <table className="data-table" data-testid="mtls-edges">
          <caption>
            Observed traffic over the last {view.telemetry.windowSeconds} s against configuration
          </caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Destination</th>
              <th scope="col">Req/s</th>
              <th scope="col">mTLS share</th>
              <th scope="col">Configuration says</th>
              <th scope="col">Mismatch</th>
            </tr>
          </thead>
          <tbody>
            {edges.map((edge) => {
              const destination = modeOf.get(`${edge.destination.namespace}/${edge.destination.workload}`);
              return (
                <tr
                  key={`${edge.source.namespace}/${edge.source.workload}->${edge.destination.namespace}/${edge.destination.workload}/${edge.service}`}
                  className={edge.mismatch ? 'row-mismatch' : undefined}
                >
                  <th scope="row">{nameOf(edge.source)}</th>
                  <td>{nameOf(edge.destination)}</td>
                  <td>{formatRps(edge.rps)}</td>
                  <td>{Math.round(edge.mtlsPercent)} %</td>
                  <td>
                    caller sends {edge.expected}
                    {destination?.sidecar ? `; destination ${destination.mode}` : ''}
                  </td>
                  <td>{edge.mismatch ? <strong>⚠ {edge.mismatch}</strong> : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h3>Findings</h3>
      {conflicts.length === 0 ? (
        <p className="muted">Configuration and traffic agree: no mTLS findings.</p>
      ) : (
        <ul className="mtls-findings" data-testid="mtls-findings">
          {conflicts.map((conflict) => (
            <li
              key={`${conflict.code}/${conflict.namespace}/${conflict.workload ?? ''}/${conflict.port ?? ''}`}
            >
              <SeverityBadge severity={conflict.severity} />{' '}
              {isMismatch(conflict) && <strong>mismatch: </strong>}
              {conflict.message} <code className="muted">{conflict.code}</code>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
