import { describe, expect, it } from 'vitest';
import { DETAIL_MIN_ZOOM, type GraphTheme, graphStylesheet } from './cytoscape-style';

const theme: GraphTheme = {
  text: '#111',
  background: '#fff',
  nodeFill: '#eee',
  boxFill: '#ddd',
  border: '#999',
  muted: '#888',
  healthy: '#0a0',
  degraded: '#fa0',
  failure: '#d00',
  accent: '#06c',
};

function rule(sheet: ReturnType<typeof graphStylesheet>, selector: string) {
  return (sheet as { selector: string; style: Record<string, unknown> }[]).find(
    (entry) => entry.selector === selector,
  );
}

describe('graphStylesheet', () => {
  it('labels nodes and edges and draws lock markers by default', () => {
    const sheet = graphStylesheet(theme, { large: false });
    expect(rule(sheet, 'node')?.style.label).toBe('data(viewLabel)');
    expect(rule(sheet, 'edge')?.style.label).toBe('data(viewLabel)');
    expect(rule(sheet, 'edge.mtls-full')?.style['mid-target-arrow-shape']).toBe('square');
  });

  it('styles the zoomed-out overview of a large graph without text or lock markers', () => {
    const sheet = graphStylesheet(theme, { large: true, detail: false });
    for (const selector of ['node', 'edge']) {
      const keys = Object.keys(rule(sheet, selector)?.style ?? {});
      expect(
        keys.some((key) => key === 'label' || key.startsWith('text-') || key.endsWith('font-size')),
      ).toBe(false);
    }
    expect(rule(sheet, 'edge.mtls-full')).toBeUndefined();
    // Health colours stay.
    expect(rule(sheet, 'edge.health-failure')?.style['line-color']).toBe(theme.failure);
  });

  it('switches to detail where large-graph labels become big enough to draw', () => {
    const sheet = graphStylesheet(theme, { large: true });
    const nodeStyle = rule(sheet, 'node')?.style ?? {};
    const smallest = Number(nodeStyle['min-zoomed-font-size']) / Number(nodeStyle['font-size']);
    expect(DETAIL_MIN_ZOOM).toBeLessThanOrEqual(smallest);
  });
});
