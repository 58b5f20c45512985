import { decodeResponseFlags } from '@/lib/envoy/response-flags';
import { formatPercent, formatRps } from '@/lib/format/traffic';

export interface ResponseBreakdownProps {
  /** requests per second by HTTP status */
  codes: Record<string, number>;
  /** requests per second by Envoy response flag */
  flags: Record<string, number>;
}

function byRateDescending(record: Record<string, number>): [string, number][] {
  return Object.entries(record).sort((a, b) => b[1] - a[1]);
}

/** An edge's responses by HTTP code, and Envoy's response flags decoded into words. */
export function ResponseBreakdown({ codes, flags }: ResponseBreakdownProps) {
  const total = Object.values(codes).reduce((sum, rate) => sum + rate, 0);
  const codeRows = byRateDescending(codes);
  const flagRows = byRateDescending(flags);
  return (
    <>
      <table className="data-table compact" data-testid="response-codes">
        <caption>Response codes</caption>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Req/s</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {codeRows.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                No requests in the window.
              </td>
            </tr>
          )}
          {codeRows.map(([code, rate]) => (
            <tr key={code} className={Number(code) >= 500 || code === '0' ? 'row-error' : undefined}>
              <th scope="row">{code === '0' ? '0 (no response)' : code}</th>
              <td>{formatRps(rate)}</td>
              <td>{formatPercent(total > 0 ? (rate / total) * 100 : 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="data-table compact" data-testid="response-flags">
        <caption>Envoy response flags</caption>
        <thead>
          <tr>
            <th scope="col">Flag</th>
            <th scope="col">Meaning</th>
            <th scope="col">Req/s</th>
          </tr>
        </thead>
        <tbody>
          {flagRows.length === 0 && (
            <tr>
              <td colSpan={3} className="muted">
                None: Envoy passed every response through.
              </td>
            </tr>
          )}
          {flagRows.map(([value, rate]) => (
            <tr key={value}>
              <th scope="row">
                <code>{value}</code>
              </th>
              <td>
                {decodeResponseFlags(value)
                  .map((flag) => flag.description)
                  .join('; ')}
              </td>
              <td>{formatRps(rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
