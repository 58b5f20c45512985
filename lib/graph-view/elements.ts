/**
 * The canvas's view of the graph: lib/graph's cytoscape elements (`toCytoscapeElements`) reduced
 * to what the canvas draws, with what only this page decides added on top: the text drawn
 * (`viewLabel`: the node's label with its badge glyphs on a second line and `⊘ 1 of 3 pods
 * ejected` under them, an edge's label with a ⚡ when its circuit breaker tripped) and the
 * find/hide classes the stylesheet keys on.
 *
 * Cytoscape gets identity (`id`, `parent`, `source`, `target`), `viewLabel` and classes, nothing
 * else: the numbers stay in the graph model (side panel, table), so a refresh that only moves
 * numbers changes no element cytoscape holds unless a label or a class it draws changes.
 */
import type { ElementDefinition } from 'cytoscape';
import type { Badge } from '../types/graph';
import { badgeGlyphs } from './badges';

export interface DecorateOptions {
  found: ReadonlySet<string>;
  hidden: ReadonlySet<string>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function viewLabel(element: ElementDefinition): string {
  const { data } = element;
  const label = text(data.label);
  if (element.group === 'edges') return data.circuitBreakerTripped === true ? `⚡ ${label}`.trim() : label;
  if (data.isBox === true) return label;
  const badges: Badge[] = Array.isArray(data.badges) ? (data.badges as Badge[]) : [];
  const glyphs = badgeGlyphs(badges);
  const ejected = typeof data.ejected === 'string' ? `\n⊘ ${data.ejected}` : '';
  return `${glyphs === '' ? label : `${label}\n${glyphs}`}${ejected}`;
}

/** The element's identity: what cytoscape fixes when it is added. */
function identity(data: ElementDefinition['data']): ElementDefinition['data'] {
  const { id, parent, source, target } = data;
  if (typeof source === 'string' && typeof target === 'string') return { id, source, target };
  return typeof parent === 'string' ? { id, parent } : { id };
}

export function decorateElements(
  base: readonly ElementDefinition[],
  options: DecorateOptions,
): ElementDefinition[] {
  return base.map((element) => {
    const id = element.data.id ?? '';
    const classes = typeof element.classes === 'string' ? element.classes : (element.classes ?? []).join(' ');
    const extra = [
      options.found.has(id) ? 'find-match' : '',
      options.hidden.has(id) ? 'find-hidden' : '',
    ].filter((part) => part !== '');
    return {
      ...(element.group ? { group: element.group } : {}),
      data: { ...identity(element.data), viewLabel: viewLabel(element) },
      classes: [classes, ...extra].filter((part) => part !== '').join(' '),
    };
  });
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
      classes: classes
        .split(' ')
        .filter((name) => name !== '' && !DETAIL_CLASSES.has(name))
        .join(' '),
    };
  });
}
