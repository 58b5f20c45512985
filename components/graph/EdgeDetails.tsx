import { formatBytesPerSecond, formatMs, formatPercent, formatRatio, formatRps } from '@/lib/format/traffic';
import type { HistorySample } from '@/lib/graph-view/history';
import type { GraphEdge } from '@/lib/types/graph';
import { EdgeBreakerNote } from '../resilience/EdgeBreakerNote';
import { EdgeAuthzNote } from '../security/EdgeAuthzNote';
import { HistoryChart } from './HistoryChart';
import { NumberList } from './NumberList';
import { ResponseBreakdown } from './ResponseBreakdown';

export interface EdgeDetailsProps {
  edge: GraphEdge;
  history: readonly HistorySample[];
}

/** An edge's rates, latencies, security, responses (codes and decoded Envoy flags) and history. */
export function EdgeDetails({ edge, history }: EdgeDetailsProps) {
  return (
    <>
      <NumberList
        testId="edge-numbers"
        items={[
          { term: 'Protocol', value: edge.protocol.toUpperCase() },
          { term: 'Requests', value: `${formatRps(edge.rps)} req/s` },
          { term: 'Share of source', value: formatPercent(edge.percentOfSource) },
          { term: 'Errors', value: formatRatio(edge.errorRate) },
          { term: 'Health', value: edge.isIdle ? 'idle' : edge.health },
          { term: 'p50', value: formatMs(edge.responseTime?.p50) },
          { term: 'p95', value: formatMs(edge.responseTime?.p95) },
          { term: 'p99', value: formatMs(edge.responseTime?.p99) },
          { term: 'mTLS', value: formatPercent(edge.mtlsPercent) },
          ...(edge.throughput
            ? [
                { term: 'Sent', value: formatBytesPerSecond(edge.throughput.sentBytesPerSecond) },
                { term: 'Received', value: formatBytesPerSecond(edge.throughput.receivedBytesPerSecond) },
              ]
            : []),
        ]}
      />
      {(edge.sourcePrincipals.length > 0 || edge.destinationPrincipals.length > 0) && (
        <NumberList
          items={[
            { term: 'Source principals', value: edge.sourcePrincipals.join(', ') || '–' },
            { term: 'Destination principals', value: edge.destinationPrincipals.join(', ') || '–' },
          ]}
        />
      )}
      {edge.authz && <EdgeAuthzNote authz={edge.authz} />}
      <EdgeBreakerNote edge={edge} />
      <ResponseBreakdown codes={edge.responseCodes} flags={edge.responseFlags} />
      <h3>Last minutes</h3>
      <HistoryChart samples={history} withResponseTime />
    </>
  );
}
