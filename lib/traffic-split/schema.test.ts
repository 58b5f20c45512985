import { describe, expect, it } from 'vitest';
import { trafficSplitForServiceHref, trafficSplitHref } from './href';
import { parseTrafficSplitChange, parseTrafficSplitListQuery, parseTrafficSplitPath } from './schema';

describe('the traffic-split API inputs', () => {
  it('takes a change with weights of any number, leaving their words to the patch builder', () => {
    const parsed = parseTrafficSplitChange({
      resourceVersion: '12',
      routes: [{ index: 0, weights: [{ host: 'reviews', subset: 'v1', weight: 12.5 }] }],
      dryRun: true,
    });
    expect(parsed.ok).toBe(true);
  });

  it('names what is wrong with a malformed body', () => {
    const parsed = parseTrafficSplitChange({ routes: [{ index: -1, weights: [] }] });
    expect(parsed).toEqual({
      ok: false,
      problems: [
        'resourceVersion: Invalid input: expected string, received undefined',
        'routes.0.index: Too small: expected number to be >=0',
        'routes.0.weights: Too small: expected array to have >=1 items',
      ],
    });
  });

  it('accepts Kubernetes names in the path only', () => {
    expect(parseTrafficSplitPath({ namespace: 'default', name: 'reviews.v1' }).ok).toBe(true);
    expect(parseTrafficSplitPath({ namespace: 'Default', name: '../x' }).ok).toBe(false);
  });

  it('reads the list query leniently', () => {
    const query = (text: string) => parseTrafficSplitListQuery(new URLSearchParams(text));
    expect(query('')).toEqual({ all: false });
    expect(query('namespace=default&service=reviews&all=true')).toEqual({
      namespace: 'default',
      service: 'reviews',
      all: true,
    });
    expect(query('namespace=NOPE&all=maybe')).toEqual({ all: false });
  });

  it('links to the editor of a VirtualService, and to the one routing a service', () => {
    expect(trafficSplitHref('default', 'reviews')).toBe('/traffic-split/default/reviews');
    expect(trafficSplitForServiceHref('default', 'reviews')).toBe(
      '/traffic-split?namespace=default&service=reviews',
    );
  });
});
