import { describe, expect, it } from 'vitest';
import { decorateElements, overviewElements } from './elements';

describe('decorateElements', () => {
  const base = [
    { group: 'nodes' as const, data: { id: 'box', label: 'reviews', isBox: true }, classes: 'kind-app box' },
    {
      group: 'nodes' as const,
      data: { id: 'svc', parent: 'box', label: 'reviews', badges: ['virtualService', 'circuitBreaker'] },
      classes: 'kind-service',
    },
    {
      group: 'edges' as const,
      data: { id: 'e', source: 'svc', target: 'box', label: '2.50 rps', circuitBreakerTripped: true },
      classes: 'health-failure',
    },
  ];

  it('puts badge glyphs under node labels and marks tripped circuit breakers on edges', () => {
    const [box, svc, edge] = decorateElements(base, { found: new Set(), hidden: new Set() });
    expect(box?.data.viewLabel).toBe('reviews');
    expect(svc?.data.viewLabel).toBe('reviews\n⚡⎇');
    expect(edge?.data.viewLabel).toBe('⚡ 2.50 rps');
  });

  it('adds the find and hide classes to lib/graph classes', () => {
    const [, svc, edge] = decorateElements(base, { found: new Set(['svc']), hidden: new Set(['e']) });
    expect(svc?.classes).toBe('kind-service find-match');
    expect(edge?.classes).toBe('health-failure find-hidden');
  });

  it('gives cytoscape identity, the drawn text and classes, and none of the numbers', () => {
    const withNumbers = [
      {
        group: 'edges' as const,
        data: { id: 'e', source: 'a', target: 'b', label: '2.50 rps', rps: 2.5, p95: 120, errorRate: 0 },
        classes: 'health-healthy mtls-full',
      },
      { group: 'nodes' as const, data: { id: 'a', parent: 'box', label: 'a', inboundRps: 3 }, classes: '' },
    ];
    const [edge, node] = decorateElements(withNumbers, { found: new Set(), hidden: new Set() });
    expect(edge?.data).toEqual({ id: 'e', source: 'a', target: 'b', viewLabel: '2.50 rps' });
    expect(node?.data).toEqual({ id: 'a', parent: 'box', viewLabel: 'a' });
  });

  it('drops text and lock markers from the zoomed-out overview, keeping health and find/hide', () => {
    const drawn = decorateElements(
      [
        {
          group: 'edges' as const,
          data: { id: 'e', source: 'a', target: 'b', label: '2.50 rps' },
          classes: 'health-failure mtls-partial',
        },
      ],
      { found: new Set(['e']), hidden: new Set() },
    );
    const [edge] = overviewElements(drawn);
    expect(edge?.data).toEqual({ id: 'e', source: 'a', target: 'b', viewLabel: '' });
    expect(edge?.classes).toBe('health-failure find-match');
  });
});
