import { formatRatio, formatRps } from '@/lib/format/traffic';
import { isUnregisteredCluster } from '@/lib/graph/external';
import { BADGE_ORDER, BADGES } from '@/lib/graph-view/badges';
import type { HistorySample } from '@/lib/graph-view/history';
import { NODE_KIND_LABELS } from '@/lib/graph-view/labels';
import { serviceHref } from '@/lib/services/href';
import { trafficSplitForServiceHref } from '@/lib/traffic-split/href';
import type { GraphNode } from '@/lib/types/graph';
import { NodeEjectionNote } from '../resilience/NodeEjectionNote';
import { HistoryChart } from './HistoryChart';
import { NumberList } from './NumberList';

export interface NodeDetailsProps {
  node: GraphNode;
  history: readonly HistorySample[];
}

/** A node's identity, health, traffic, badges and recent history. */
export function NodeDetails({ node, history }: NodeDetailsProps) {
  const badges = BADGE_ORDER.filter((badge) => node.badges.includes(badge));
  return (
    <>
      <NumberList
        testId="node-numbers"
        items={[
          { term: 'Kind', value: NODE_KIND_LABELS[node.kind] },
          { term: 'Namespace', value: node.namespace },
          ...(node.app ? [{ term: 'App', value: node.app }] : []),
          ...(node.version ? [{ term: 'Version', value: node.version }] : []),
          ...(node.workload ? [{ term: 'Workload', value: node.workload }] : []),
          ...(node.service ? [{ term: 'Service', value: node.service }] : []),
          {
            term: 'Health',
            value: node.health.reason ? `${node.health.status}: ${node.health.reason}` : node.health.status,
          },
          { term: 'Inbound', value: `${formatRps(node.traffic.inboundRps)} req/s` },
          { term: 'Outbound', value: `${formatRps(node.traffic.outboundRps)} req/s` },
          { term: 'Inbound errors', value: formatRatio(node.traffic.inboundErrorRate) },
          { term: 'Outbound errors', value: formatRatio(node.traffic.outboundErrorRate) },
        ]}
      />
      <NodeEjectionNote node={node} />
      {badges.length > 0 && (
        <>
          <h3>Configuration</h3>
          <ul className="badge-list">
            {badges.map((badge) => (
              <li key={badge}>
                <span aria-hidden="true" className="badge-glyph">
                  {BADGES[badge].glyph}
                </span>{' '}
                {BADGES[badge].label}
              </li>
            ))}
          </ul>
        </>
      )}
      {node.kind === 'service' && !isUnregisteredCluster(node) && (
        <p>
          <a href={serviceHref(node.namespace, node.service ?? node.name)}>Open the service page</a>
        </p>
      )}
      {(node.kind === 'serviceentry' || isUnregisteredCluster(node)) && (
        <p>
          <a href="/serviceentries">Open the service entries page</a> (external hosts and their callers)
        </p>
      )}
      {(node.findings || node.badges.includes('virtualService')) && (
        <ul className="badge-list">
          {node.findings && (
            <li>
              <a href={`/config?namespace=${encodeURIComponent(node.namespace)}`}>
                {node.findings.error} errors, {node.findings.warning} warnings in its configuration
              </a>
            </li>
          )}
          {node.kind === 'service' && node.badges.includes('virtualService') && (
            <li>
              <a href={trafficSplitForServiceHref(node.namespace, node.service ?? node.name)}>
                Edit the traffic split
              </a>
            </li>
          )}
        </ul>
      )}
      {(node.isIdle || node.isOutside || node.isRoot || node.isGateway) && (
        <p className="muted">
          {[
            node.isIdle && 'No traffic in the window.',
            node.isRoot && 'Sends traffic but receives none.',
            node.isOutside &&
              (node.kind === 'serviceentry' || isUnregisteredCluster(node)
                ? 'Outside the mesh (an external host: only its callers’ sidecars report it).'
                : 'Outside the mesh (no sidecar, or an unknown caller).'),
            node.isGateway && 'A gateway.',
          ]
            .filter(Boolean)
            .join(' ')}
        </p>
      )}
      <h3>Last minutes</h3>
      <HistoryChart samples={history} withResponseTime={false} />
    </>
  );
}
