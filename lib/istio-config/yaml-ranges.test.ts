import { describe, expect, it } from 'vitest';
import { parsePath } from './paths';
import { rangeOfPath } from './yaml-ranges';

const text = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  http:
  - route:
    - destination:
        host: reviews
        subset: v9
      weight: 100
`;

function marked(path: string): string | undefined {
  const range = rangeOfPath(text, parsePath(path));
  return range ? text.slice(range.from, range.to) : undefined;
}

describe('rangeOfPath', () => {
  it('marks a scalar value', () => {
    expect(marked('spec.http[0].route[0].destination.subset')).toBe('v9');
    expect(marked('metadata.name')).toBe('reviews');
  });

  it('marks the key of the deepest part that exists when the path goes further', () => {
    expect(marked('spec.http[0].route[0].destination.port.number')).toBe('destination');
    expect(marked('spec.tcp[0]')).toBe('spec');
  });

  it('marks the first line of a collection', () => {
    expect(marked('spec.http[0]')).toBe('route:');
  });

  it('gives nothing for text that is not a mapping', () => {
    expect(rangeOfPath('- a\n- b', ['spec'])).toBeUndefined();
  });
});
