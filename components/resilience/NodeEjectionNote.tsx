import { resilienceHref } from '@/lib/resilience/page-params';
import type { GraphNode } from '@/lib/types/graph';

/**
 * On a graph node: how many of its pods outlier detection ejected, and a link to the resilience
 * page; for a service with a circuit breaker but no ejection state yet, the link alone.
 */
export function NodeEjectionNote({ node }: { node: GraphNode }) {
  const service = node.kind === 'service' ? (node.service ?? node.name) : node.app;
  if (!node.ejection) {
    if (node.kind !== 'service' || !node.badges.includes('circuitBreaker') || !service) return null;
    return (
      <p>
        <a href={resilienceHref(node.namespace, service)}>Circuit breaker and ejections</a>
      </p>
    );
  }
  return (
    <p data-testid="node-ejection" className={node.ejection.ejected > 0 ? 'banner banner-warning' : 'muted'}>
      Outlier detection: {node.ejection.text}.{' '}
      {service && <a href={resilienceHref(node.namespace, service)}>See the pods and the circuit breaker</a>}
    </p>
  );
}
