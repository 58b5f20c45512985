import { trippedBreakerText } from '@/lib/resilience/graph-ejections';
import type { GraphEdge } from '@/lib/types/graph';

/** On a graph edge with UO/UH responses: the circuit breaker tripped, and how often. */
export function EdgeBreakerNote({ edge }: { edge: GraphEdge }) {
  const text = trippedBreakerText(edge);
  if (!text) return null;
  return (
    <p role="note" className="banner banner-warning" data-testid="edge-breaker">
      <span aria-hidden="true">⚡ </span>
      {text}.
    </p>
  );
}
