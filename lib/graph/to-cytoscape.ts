/**
 * The one adapter from the renderer-agnostic graph to cytoscape's element JSON: plain
 * `{group, data, classes}` objects (no cytoscape import, so lib/ stays renderer-free), parents
 * before children. `data` is flat so stylesheets can map on it (`data(label)`, `node[?isIdle]`,
 * `edge[mtlsPercent > 0]`); `classes` carry the states a stylesheet keys on:
 *
 *     nodes  kind-KIND box health-STATUS idle outside root gateway badge-BADGE...
 *     edges  protocol-PROTOCOL tcp health-STATUS idle mtls-full|mtls-partial cb-tripped authz-denied
 *
 * Edge text for every label mode is precomputed (`rpsLabel`, `percentLabel`, `responseTimeLabel`,
 * `throughputLabel`) and the chosen one is `label`, formatted as the table shows it.
 */
import { formatBytesPerSecond, formatMs, formatPercent, formatRps } from '../format/traffic';
import type { Badge, GraphEdge, GraphNode } from '../types/graph';

export type EdgeLabelMode = 'rps' | 'percent' | 'rt' | 'throughput' | 'none';

export interface CytoscapeNodeData {
  id: string;
  parent?: string;
  [field: string]: unknown;
}

export interface CytoscapeEdgeData {
  id: string;
  source: string;
  target: string;
  [field: string]: unknown;
}

export type CytoscapeElement =
  | { group: 'nodes'; data: CytoscapeNodeData; classes: string }
  | { group: 'edges'; data: CytoscapeEdgeData; classes: string };

export interface ToCytoscapeOptions {
  /** which text edges carry as `label` (default `rps`) */
  edgeLabels?: EdgeLabelMode;
}

/** `circuitBreaker` -> `hasCircuitBreaker`, a boolean per badge for selectors like `node[?hasCircuitBreaker]`. */
function badgeFlag(badge: Badge): string {
  return `has${badge.charAt(0).toUpperCase()}${badge.slice(1)}`;
}

/** What a node is called on the canvas: a version inside its app box, else its name. */
export function nodeLabel(node: GraphNode): string {
  if (node.kind === 'app' && node.version && !node.isBox)
    return node.parent ? node.version : `${node.name} ${node.version}`;
  return node.name;
}

function nodeElement(node: GraphNode): CytoscapeElement {
  const classes = [`kind-${node.kind}`];
  if (node.isBox) classes.push('box');
  classes.push(`health-${node.health.status}`);
  if (node.isIdle) classes.push('idle');
  if (node.isOutside) classes.push('outside');
  if (node.isRoot) classes.push('root');
  if (node.isGateway) classes.push('gateway');
  for (const badge of node.badges) classes.push(`badge-${badge}`);
  return {
    group: 'nodes',
    data: {
      id: node.id,
      ...(node.parent ? { parent: node.parent } : {}),
      label: nodeLabel(node),
      kind: node.kind,
      namespace: node.namespace,
      name: node.name,
      ...(node.app !== undefined ? { app: node.app } : {}),
      ...(node.version !== undefined ? { version: node.version } : {}),
      ...(node.workload !== undefined ? { workload: node.workload } : {}),
      ...(node.service !== undefined ? { service: node.service } : {}),
      health: node.health.status,
      ...(node.health.reason ? { healthReason: node.health.reason } : {}),
      errorRate: node.health.errorRate,
      inboundRps: node.traffic.inboundRps,
      outboundRps: node.traffic.outboundRps,
      isBox: node.isBox === true,
      isIdle: node.isIdle === true,
      isRoot: node.isRoot === true,
      isGateway: node.isGateway === true,
      isOutside: node.isOutside === true,
      badges: [...node.badges],
      ...Object.fromEntries(node.badges.map((badge) => [badgeFlag(badge), true])),
      // `1 of 3 pods ejected`, only while outlier detection has some out (lib/resilience/graph-ejections)
      ...(node.ejection && node.ejection.ejected > 0 ? { ejected: node.ejection.text } : {}),
    },
    classes: classes.join(' '),
  };
}

/** Edge texts per label mode; empty where the mode has nothing to say (idle edges, TCP rates). */
export function edgeLabels(edge: GraphEdge): Record<Exclude<EdgeLabelMode, 'none'>, string> {
  if (edge.isIdle) return { rps: '', percent: '', rt: '', throughput: '' };
  const bytes = edge.throughput
    ? edge.throughput.sentBytesPerSecond + edge.throughput.receivedBytesPerSecond
    : undefined;
  return {
    rps: edge.protocol === 'tcp' ? '' : `${formatRps(edge.rps)} rps`,
    percent: formatPercent(edge.percentOfSource),
    rt: edge.responseTime ? formatMs(edge.responseTime.p95) : '',
    throughput: bytes === undefined ? '' : formatBytesPerSecond(bytes),
  };
}

function edgeElement(edge: GraphEdge, target: GraphNode | undefined, mode: EdgeLabelMode): CytoscapeElement {
  const texts = edgeLabels(edge);
  // Kiali's only runtime circuit-breaker sign: the target has one and Envoy answered UO or UH.
  const tripped =
    target?.badges.includes('circuitBreaker') === true &&
    Object.keys(edge.responseFlags).some((flags) => /(^|,)(UO|UH)(,|$)/.test(flags));
  const classes = [`protocol-${edge.protocol}`, `health-${edge.health}`];
  if (edge.protocol === 'tcp') classes.push('tcp');
  if (edge.isIdle) classes.push('idle');
  if (edge.mtlsPercent >= 99.95) classes.push('mtls-full');
  else if (edge.mtlsPercent > 0) classes.push('mtls-partial');
  if (tripped) classes.push('cb-tripped');
  // Requests answered 403 that an AuthorizationPolicy denies too (lib/security/graph-denials).
  if (edge.authz?.decision === 'DENY') classes.push('authz-denied');
  return {
    group: 'edges',
    data: {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      protocol: edge.protocol,
      rps: edge.rps,
      percentOfSource: edge.percentOfSource,
      errorRate: edge.errorRate,
      mtlsPercent: edge.mtlsPercent,
      isMTLS: edge.mtlsPercent > 0,
      health: edge.health,
      isIdle: edge.isIdle === true,
      ...(edge.responseTime
        ? { p50: edge.responseTime.p50, p95: edge.responseTime.p95, p99: edge.responseTime.p99 }
        : {}),
      ...(edge.throughput
        ? {
            sentBytesPerSecond: edge.throughput.sentBytesPerSecond,
            receivedBytesPerSecond: edge.throughput.receivedBytesPerSecond,
          }
        : {}),
      circuitBreakerTripped: tripped,
      label: mode === 'none' ? '' : texts[mode],
      rpsLabel: texts.rps,
      percentLabel: texts.percent,
      responseTimeLabel: texts.rt,
      throughputLabel: texts.throughput,
    },
    classes: classes.join(' '),
  };
}

export function toCytoscapeElements(
  graph: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] },
  options: ToCytoscapeOptions = {},
): CytoscapeElement[] {
  const mode = options.edgeLabels ?? 'rps';
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  // Compound parents first: cytoscape needs a parent to exist when a child is added.
  const ordered = [...graph.nodes.filter((node) => node.isBox), ...graph.nodes.filter((node) => !node.isBox)];
  return [
    ...ordered.map(nodeElement),
    ...graph.edges.map((edge) => edgeElement(edge, nodes.get(edge.target), mode)),
  ];
}
