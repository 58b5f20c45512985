/**
 * The canvas's view of the graph: lib/graph's cytoscape elements (`toCytoscapeElements`), with
 * what only this page decides added on top: the text drawn (`viewLabel`: the node's label with
 * its badge glyphs on a second line and `⊘ 1 of 3 pods ejected` under them, an edge's label with a ⚡ when its circuit breaker tripped)
 * and the find/hide classes the stylesheet keys on.
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
      ...element,
      data: { ...element.data, viewLabel: viewLabel(element) },
      classes: [classes, ...extra].filter((part) => part !== '').join(' '),
    };
  });
}
