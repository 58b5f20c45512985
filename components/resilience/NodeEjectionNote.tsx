import { resilienceHref } from '@/lib/resilience/page-params';
import type { GraphNode } from '@/lib/types/graph';

/** On a graph node: how many of its pods outlier detection ejected, linking to the resilience page. */
export function NodeEjectionNote({ node }: { node: GraphNode }) {
  if (!node.ejection) return null;
  const service = node.kind === 'service' ? (node.service ?? node.name) : node.app;
  return (
    <p data-testid="node-ejection" className={node.ejection.ejected > 0 ? 'banner banner-warning' : 'muted'}>
      Outlier detection: {node.ejection.text}.{' '}
      {service && <a href={resilienceHref(node.namespace, service)}>See the pods and the circuit breaker</a>}
    </p>
  );
}
