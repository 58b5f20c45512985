/**
 * The one adapter from the renderer-agnostic graph (lib/graph) to cytoscape's element JSON: plain
 * `{group, data, classes}` objects (no cytoscape import), parents before children, carrying only
 * what the canvas draws. `data` is the element's identity (`id`, `parent`, `source`, `target`)
 * and `viewLabel`, the text drawn: a node's name (its version inside an app box) with its badge
 * glyphs on a second line and `⊘ 1 of 3 pods ejected` under them; an edge's label in the chosen
 * mode, with a ⚡ when its circuit breaker tripped. `classes` carry every state a stylesheet keys
 * on (lib/graph-view/cytoscape-style.ts):
 *
 *     nodes  kind-KIND box health-STATUS idle outside root gateway badge-BADGE... find-match find-hidden
 *     edges  protocol-PROTOCOL tcp health-STATUS idle mtls-full|mtls-partial cb-tripped authz-denied find-match find-hidden
 *
 * The numbers stay in the graph model (side panel, table): a refresh that only moves numbers
 * changes no element cytoscape holds unless a label or a class it draws changes, so it neither
 * restyles nor redraws (lib/graph-view/sync.ts).
 */

import type { ElementDefinition } from 'cytoscape';
import { formatBytesPerSecond, formatMs, formatPercent, formatRps } from '../format/traffic';
import type { GraphEdge, GraphNode } from '../types/graph';
import { badgeGlyphs } from './badges';

export type EdgeLabelMode = 'rps' | 'percent' | 'rt' | 'throughput' | 'none';

export type CytoscapeElement =
  | { group: 'nodes'; data: { id: string; parent?: string; viewLabel: string }; classes: string }
  | {
      group: 'edges';
      data: { id: string; source: string; target: string; viewLabel: string };
      classes: string;
    };

export interface ToCytoscapeOptions {
  /** which text edges carry (default `rps`) */
  edgeLabels?: EdgeLabelMode;
  /** ids the find expression matched (class `find-match`) */
  found?: ReadonlySet<string>;
  /** ids the hide expression hides (class `find-hidden`) */
  hidden?: ReadonlySet<string>;
}

/** What a node is called on the canvas: a version inside its app box, else its name. */
export function nodeLabel(node: GraphNode): string {
  if (node.kind === 'app' && node.version && !node.isBox)
    return node.parent ? node.version : `${node.name} ${node.version}`;
  return node.name;
}

/** The node's drawn text: its label, its badge glyphs under it, its ejected pods under those. */
function nodeText(node: GraphNode): string {
  const label = nodeLabel(node);
  if (node.isBox) return label;
  const glyphs = badgeGlyphs(node.badges);
  const ejected = node.ejection && node.ejection.ejected > 0 ? `\n⊘ ${node.ejection.text}` : '';
  return `${glyphs === '' ? label : `${label}\n${glyphs}`}${ejected}`;
}

function findClasses(classes: string[], id: string, options: ToCytoscapeOptions): string {
  if (options.found?.has(id)) classes.push('find-match');
  if (options.hidden?.has(id)) classes.push('find-hidden');
  return classes.join(' ');
}

function nodeElement(node: GraphNode, options: ToCytoscapeOptions): CytoscapeElement {
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
    data: node.parent
      ? { id: node.id, parent: node.parent, viewLabel: nodeText(node) }
      : { id: node.id, viewLabel: nodeText(node) },
    classes: findClasses(classes, node.id, options),
  };
}

/** An edge's text in one label mode; empty where the mode has nothing to say (idle edges, TCP rates). */
export function edgeLabel(edge: GraphEdge, mode: EdgeLabelMode): string {
  if (edge.isIdle || mode === 'none') return '';
  switch (mode) {
    case 'rps':
      return edge.protocol === 'tcp' ? '' : `${formatRps(edge.rps)} rps`;
    case 'percent':
      return formatPercent(edge.percentOfSource);
    case 'rt':
      return edge.responseTime ? formatMs(edge.responseTime.p95) : '';
    case 'throughput':
      return edge.throughput
        ? formatBytesPerSecond(edge.throughput.sentBytesPerSecond + edge.throughput.receivedBytesPerSecond)
        : '';
  }
}

/** Kiali's only runtime circuit-breaker sign: the target has one and Envoy answered UO or UH. */
export function circuitBreakerTripped(edge: GraphEdge, target: GraphNode | undefined): boolean {
  return (
    target?.badges.includes('circuitBreaker') === true &&
    Object.keys(edge.responseFlags).some((flags) => /(^|,)(UO|UH)(,|$)/.test(flags))
  );
}

function edgeElement(
  edge: GraphEdge,
  target: GraphNode | undefined,
  options: ToCytoscapeOptions,
): CytoscapeElement {
  const tripped = circuitBreakerTripped(edge, target);
  const classes = [`protocol-${edge.protocol}`, `health-${edge.health}`];
  if (edge.protocol === 'tcp') classes.push('tcp');
  if (edge.isIdle) classes.push('idle');
  if (edge.mtlsPercent >= 99.95) classes.push('mtls-full');
  else if (edge.mtlsPercent > 0) classes.push('mtls-partial');
  if (tripped) classes.push('cb-tripped');
  // Requests answered 403 that an AuthorizationPolicy denies too (lib/security/graph-denials).
  if (edge.authz?.decision === 'DENY') classes.push('authz-denied');
  const label = edgeLabel(edge, options.edgeLabels ?? 'rps');
  return {
    group: 'edges',
    data: {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      viewLabel: tripped ? `⚡ ${label}`.trim() : label,
    },
    classes: findClasses(classes, edge.id, options),
  };
}

export function toCytoscapeElements(
  graph: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] },
  options: ToCytoscapeOptions = {},
): CytoscapeElement[] {
  const nodes = new Map<string, GraphNode>();
  for (const node of graph.nodes) nodes.set(node.id, node);
  const elements: CytoscapeElement[] = [];
  // Compound parents first: cytoscape needs a parent to exist when a child is added.
  for (const node of graph.nodes) if (node.isBox) elements.push(nodeElement(node, options));
  for (const node of graph.nodes) if (!node.isBox) elements.push(nodeElement(node, options));
  for (const edge of graph.edges) elements.push(edgeElement(edge, nodes.get(edge.target), options));
  return elements;
}

/**
 * Classes whose marks are too small to see on a zoomed-out big graph (the mTLS lock square in an
 * edge's middle): the overview leaves them out, like the labels.
 */
const DETAIL_CLASSES = new Set(['mtls-full', 'mtls-partial']);

/**
 * A big graph as drawn zoomed out (below `DETAIL_MIN_ZOOM`, lib/graph-view/cytoscape-style.ts):
 * no text and no lock markers, which cytoscape could not draw legibly at that size anyway. Shape,
 * health colour, dashes and find/hide stay. A refresh then restyles and redraws only for changes
 * that show at this zoom; zooming in puts the details back.
 */
export function overviewElements(elements: readonly ElementDefinition[]): ElementDefinition[] {
  return elements.map((element) => {
    const classes = typeof element.classes === 'string' ? element.classes : (element.classes ?? []).join(' ');
    return {
      ...element,
      data: { ...element.data, viewLabel: '' },
      classes: classes.includes('mtls-')
        ? classes
            .split(' ')
            .filter((name) => name !== '' && !DETAIL_CLASSES.has(name))
            .join(' ')
        : classes,
    };
  });
}
