/**
 * The graph's cytoscape stylesheet, from colours read off the page's CSS variables (so dark mode
 * follows the OS). Styles key on classes and the `viewLabel` data field that the canvas sets, not
 * on function values (cytoscape's performance guide: no function style values, few labels on big
 * graphs, solid opaque edges, no label backgrounds).
 */
import type { StylesheetJson } from 'cytoscape';

export interface GraphTheme {
  text: string;
  /** the canvas background, also used to outline labels */
  background: string;
  nodeFill: string;
  boxFill: string;
  border: string;
  muted: string;
  healthy: string;
  degraded: string;
  failure: string;
  accent: string;
}

export interface StyleOptions {
  /** a big graph: cheaper edges and labels only when zoomed in */
  large: boolean;
  /**
   * draw text and lock markers (default true). A large graph zoomed out below `DETAIL_MIN_ZOOM`
   * is styled without them: fewer properties per element make its first draw cheaper, and its
   * elements carry no text then anyway (`overviewElements`).
   */
  detail?: boolean;
}

const NODE_FONT_SIZE = 11;
const EDGE_FONT_SIZE = 9;
/** On a large graph cytoscape skips text that would be drawn smaller than this many pixels. */
const LARGE_MIN_ZOOMED_FONT_SIZE = 8;

/**
 * The zoom below which no label of a large graph is drawn (its `min-zoomed-font-size` hides node
 * labels first): the canvas then gives cytoscape the overview (lib/graph-view/to-cytoscape.ts
 * `overviewElements`) and puts text and lock markers back once the user zooms in past it.
 */
export const DETAIL_MIN_ZOOM = LARGE_MIN_ZOOMED_FONT_SIZE / Math.max(NODE_FONT_SIZE, EDGE_FONT_SIZE);

export function graphStylesheet(theme: GraphTheme, options: StyleOptions): StylesheetJson {
  const labelOutline = options.large ? 0 : 2;
  const detail = options.detail ?? true;
  // The lock marker: a square at the middle of an edge whose requests go over mutual TLS
  // (filled: all of them; hollow: some).
  const lockMarkers: StylesheetJson = detail
    ? [
        {
          selector: 'edge.mtls-full',
          style: {
            'mid-target-arrow-shape': 'square',
            'mid-target-arrow-fill': 'filled',
            'mid-target-arrow-color': theme.text,
          },
        },
        {
          selector: 'edge.mtls-partial',
          style: {
            'mid-target-arrow-shape': 'square',
            'mid-target-arrow-fill': 'hollow',
            'mid-target-arrow-color': theme.text,
          },
        },
      ]
    : [];
  return [
    {
      selector: 'node',
      style: {
        ...(detail
          ? {
              label: 'data(viewLabel)',
              'font-size': NODE_FONT_SIZE,
              color: theme.text,
              'text-valign': 'bottom',
              'text-halign': 'center',
              'text-margin-y': 4,
              'text-wrap': 'wrap',
              'text-max-width': '160px',
              'text-outline-color': theme.background,
              'text-outline-width': labelOutline,
              'min-zoomed-font-size': options.large ? LARGE_MIN_ZOOMED_FONT_SIZE : 0,
            }
          : {}),
        'background-color': theme.nodeFill,
        'border-width': 2,
        'border-color': theme.muted,
        width: 28,
        height: 28,
        shape: 'ellipse',
      },
    },
    { selector: 'node.kind-app', style: { shape: 'round-rectangle' } },
    { selector: 'node.kind-service', style: { shape: 'diamond', width: 30, height: 30 } },
    { selector: 'node.kind-serviceentry', style: { shape: 'tag', width: 30 } },
    { selector: 'node.kind-unknown', style: { shape: 'octagon', 'border-style': 'dashed' } },
    { selector: 'node.outside', style: { 'border-style': 'dashed' } },
    { selector: 'node.root', style: { 'border-width': 3 } },
    { selector: 'node.health-healthy', style: { 'border-color': theme.healthy } },
    { selector: 'node.health-degraded', style: { 'border-color': theme.degraded } },
    { selector: 'node.health-failure', style: { 'border-color': theme.failure, 'border-width': 3 } },
    { selector: 'node.idle', style: { 'border-color': theme.muted, 'border-style': 'dashed', opacity: 0.7 } },
    {
      selector: 'node.box',
      style: {
        shape: 'round-rectangle',
        'background-color': theme.boxFill,
        'background-opacity': 0.6,
        'border-color': theme.border,
        'border-width': 1,
        'text-valign': 'top',
        'text-margin-y': -4,
        padding: '12px',
      },
    },
    {
      selector: 'edge',
      style: {
        ...(detail
          ? {
              label: 'data(viewLabel)',
              'font-size': EDGE_FONT_SIZE,
              // Above the line, clear of the mTLS marker at the edge's middle.
              'text-margin-y': -9,
              'text-rotation': 'autorotate',
              color: theme.text,
              'text-outline-color': theme.background,
              'text-outline-width': labelOutline,
              'min-zoomed-font-size': options.large ? LARGE_MIN_ZOOMED_FONT_SIZE : 0,
            }
          : {}),
        'curve-style': options.large ? 'haystack' : 'bezier',
        width: 2,
        'line-color': theme.muted,
        'target-arrow-shape': options.large ? 'none' : 'triangle',
        'target-arrow-color': theme.muted,
        'arrow-scale': 0.9,
      },
    },
    {
      selector: 'edge.health-healthy',
      style: { 'line-color': theme.healthy, 'target-arrow-color': theme.healthy },
    },
    {
      selector: 'edge.health-degraded',
      style: { 'line-color': theme.degraded, 'target-arrow-color': theme.degraded },
    },
    {
      selector: 'edge.health-failure',
      style: { 'line-color': theme.failure, 'target-arrow-color': theme.failure, width: 3 },
    },
    { selector: 'edge.tcp', style: { 'line-color': theme.accent, 'target-arrow-color': theme.accent } },
    {
      selector: 'edge.idle',
      style: { 'line-style': 'dashed', 'line-color': theme.muted, 'target-arrow-color': theme.muted },
    },
    // Kiali's runtime circuit-breaker sign: the target has one and Envoy answered UO or UH.
    {
      selector: 'edge.cb-tripped',
      style: {
        'line-color': theme.failure,
        'target-arrow-color': theme.failure,
        'target-arrow-shape': 'tee',
        width: 3,
      },
    },
    // Denied by an authorization policy: dashed, in the failure colour, with a crossed arrow.
    {
      selector: 'edge.authz-denied',
      style: {
        'line-style': 'dashed',
        'line-color': theme.failure,
        'target-arrow-color': theme.failure,
        'target-arrow-shape': 'triangle-cross',
      },
    },
    ...lockMarkers,
    {
      selector: '.find-match',
      style: { 'underlay-color': theme.accent, 'underlay-opacity': 0.35, 'underlay-padding': 6 },
    },
    { selector: '.find-hidden', style: { display: 'none' } },
    {
      selector: 'node:selected',
      style: { 'border-color': theme.accent, 'border-width': 4 },
    },
    {
      selector: 'edge:selected',
      style: { 'line-color': theme.accent, 'target-arrow-color': theme.accent, width: 4 },
    },
  ];
}
