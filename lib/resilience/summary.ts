/** A DestinationRule's circuit breakers in a few words, for the resilience list. */
import { formatDuration } from './explain';
import { effectiveConnectionPool, effectiveOutlierDetection } from './policy';

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `3 × 5xx in 5 s → out 15 s, ≤ 100 %`; null without outlier detection. */
export function outlierSummary(section: unknown): string | null {
  const outlier = effectiveOutlierDetection(object(section));
  if (!outlier) return null;
  const counts = [
    outlier.consecutive5xxErrors > 0 ? `${outlier.consecutive5xxErrors} × 5xx` : '',
    outlier.consecutiveGatewayErrors > 0 ? `${outlier.consecutiveGatewayErrors} × 502/503/504` : '',
  ].filter(Boolean);
  if (counts.length === 0) return 'on, but never ejects (error counts 0)';
  return `${counts.join(' or ')} in ${formatDuration(outlier.intervalMs)} → out ${formatDuration(outlier.baseEjectionTimeMs)}, at most ${outlier.maxEjectionPercent} % of pods`;
}

/** `100 connections, 100 pending, 10 per connection`; null when nothing is limited. */
export function poolSummary(section: unknown): string | null {
  if (!object(section)) return null;
  const pool = effectiveConnectionPool(object(section));
  const parts = [
    pool.maxConnections !== null
      ? `${pool.maxConnections} connection${pool.maxConnections === 1 ? '' : 's'}`
      : '',
    pool.http1MaxPendingRequests !== null ? `${pool.http1MaxPendingRequests} pending` : '',
    pool.http2MaxRequests !== null ? `${pool.http2MaxRequests} in flight` : '',
    pool.maxRequestsPerConnection !== null ? `${pool.maxRequestsPerConnection} per connection` : '',
    pool.maxRetries !== null ? `${pool.maxRetries} ${pool.maxRetries === 1 ? 'retry' : 'retries'}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : null;
}
