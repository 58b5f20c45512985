import { describeObserved, describeOrigin, type MatrixCell, matrixRows } from '@/lib/security/display';
import type { MtlsResponse } from '@/lib/types/security';
import { MtlsLock } from './MtlsLock';
import { PortDetails } from './PortDetails';

function Cell({ cell }: { cell: MatrixCell }) {
  const { workload } = cell;
  const mismatch = cell.mismatches.length > 0;
  return (
    <li
      className={`mtls-cell mtls-cell-${cell.label.replace(' ', '-')}${mismatch ? ' mtls-cell-mismatch' : ''}`}
    >
      <details data-testid={`mtls-cell-${workload.namespace}-${workload.name}`}>
        <summary data-testid={`mtls-cell-toggle-${workload.namespace}-${workload.name}`}>
          <span className="mtls-cell-name">{workload.name}</span>{' '}
          <span className="badge mtls-mode">{cell.label}</span>
          {mismatch && (
            <span className="mtls-mismatch-flag">
              {' '}
              ⚠ mismatch<span className="visually-hidden"> ({cell.mismatches.length})</span>
            </span>
          )}
          <span className="mtls-cell-origin">
            {workload.sidecar ? describeOrigin(workload.origin) : 'nothing enforces mTLS here'}
          </span>
        </summary>
        <div className="mtls-cell-body">
          {mismatch && (
            <ul className="mtls-mismatches">
              {cell.mismatches.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
          <p>
            Service account <code>{workload.serviceAccount}</code>; observed: {describeObserved(workload)}.
          </p>
          {workload.observed && workload.observed.plaintextSources.length > 0 && (
            <p>
              Plaintext from:{' '}
              {workload.observed.plaintextSources
                .map((source) => `${source.namespace}/${source.workload} (${source.rps.toFixed(2)} req/s)`)
                .join(', ')}
            </p>
          )}
          <PortDetails workload={workload} />
        </div>
      </details>
    </li>
  );
}

/**
 * The effective mTLS matrix: one row per namespace with its lock, one cell per workload with the
 * mode and the object that decided it; a cell opens (a disclosure, keyboard operable) to its ports.
 */
export function MtlsMatrix({ view }: { view: MtlsResponse }) {
  const rows = matrixRows(view);
  return (
    <table className="data-table mtls-matrix" data-testid="mtls-matrix">
      <caption>Effective mTLS per namespace and workload (open a workload for its ports)</caption>
      <thead>
        <tr>
          <th scope="col">Namespace</th>
          <th scope="col">Lock</th>
          <th scope="col">Workloads</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.namespace} data-testid={`mtls-row-${row.namespace}`}>
            <th scope="row">{row.namespace}</th>
            <td>
              <MtlsLock status={row.status} />
              <div className="muted mtls-cell-origin">{describeOrigin(row.origin)}</div>
            </td>
            <td>
              {row.cells.length === 0 ? (
                <span className="muted">No workloads</span>
              ) : (
                <ul className="mtls-cells">
                  {row.cells.map((cell) => (
                    <Cell key={cell.workload.name} cell={cell} />
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
