import { formatDurationParam } from '@/lib/graph-params';
import { EmptyState } from '../EmptyState';

export type EmptyReason = 'no-namespaces' | 'no-traffic' | 'all-hidden';

export interface GraphEmptyStateProps {
  reason: EmptyReason;
  namespaces: readonly string[];
  /** rate window, seconds */
  duration: number;
  idle: boolean;
  /** the graph came with warnings: the telemetry may be why it is empty */
  degraded: boolean;
  onShowIdle: () => void;
  onClearHide: () => void;
}

/** Why the graph is empty, and the one thing to do about it. */
export function GraphEmptyState({
  reason,
  namespaces,
  duration,
  idle,
  degraded,
  onShowIdle,
  onClearHide,
}: GraphEmptyStateProps) {
  if (reason === 'no-namespaces') {
    return (
      <EmptyState title="Select a namespace">
        <p>
          The graph shows the traffic of the namespaces you pick. Choose one or more with the{' '}
          <strong>Namespaces</strong> control above; your choice is kept in the address, so the view can be
          bookmarked.
        </p>
      </EmptyState>
    );
  }
  if (reason === 'all-hidden') {
    return (
      <EmptyState title="Everything is hidden">
        <p>The hide expression matches every node.</p>
        <button type="button" onClick={onClearHide}>
          Clear hide
        </button>
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No traffic in this window">
      <p>
        Nothing in {namespaces.join(', ')} sent or received requests in the last{' '}
        {formatDurationParam(duration)}.{' '}
        {idle
          ? 'No workloads or services were found either: check that the namespaces have workloads and that the telemetry source can read their sidecars.'
          : 'Show idle nodes and edges to see the workloads and services that exist without traffic, or choose a longer time window.'}
      </p>
      {degraded && (
        <p>The telemetry source reported a problem (see above), which may be why no traffic shows.</p>
      )}
      {!idle && (
        <button type="button" onClick={onShowIdle}>
          Show idle nodes and edges
        </button>
      )}
    </EmptyState>
  );
}
