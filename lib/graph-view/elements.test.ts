import { describe, expect, it } from 'vitest';
import { decorateElements } from './elements';

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
});
