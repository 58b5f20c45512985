import { describe, expect, it } from 'vitest';
import { HostIndex } from './host-index';
import { exportScope, hostCovers, hostsOverlap, scopesIntersect, serviceOfFqdn, toFqdn } from './hosts';
import { LabelIndex, selectorText } from './labels';

describe('hosts', () => {
  it('expands short names in the writer namespace and leaves FQDNs and wildcards alone', () => {
    expect(toFqdn('reviews', 'default')).toBe('reviews.default.svc.cluster.local');
    expect(toFqdn('reviews.default', 'other')).toBe('reviews.default');
    expect(toFqdn('*.example.com', 'default')).toBe('*.example.com');
    expect(serviceOfFqdn('reviews.default.svc.cluster.local')).toEqual({
      name: 'reviews',
      namespace: 'default',
    });
    expect(serviceOfFqdn('api.example.com')).toBeUndefined();
  });

  it.each([
    ['a.example.com', 'a.example.com', true, true],
    ['*.example.com', 'a.example.com', true, true],
    ['a.example.com', '*.example.com', true, false],
    ['*.example.com', '*.b.example.com', true, true],
    ['*', 'anything.local', true, true],
    ['*.example.com', 'example.com', false, false],
  ])('%s against %s: overlap %s, covers %s', (a, b, overlap, covers) => {
    expect(hostsOverlap(a, b)).toBe(overlap);
    expect(hostsOverlap(b, a)).toBe(overlap);
    expect(hostCovers(a, b)).toBe(covers);
  });

  it('reads exportTo: empty or * everywhere, . its namespace, ~ nowhere', () => {
    expect(exportScope([], 'a').all).toBe(true);
    expect(exportScope(['.', 'b'], 'a')).toEqual({ all: false, namespaces: new Set(['a', 'b']) });
    expect(scopesIntersect(exportScope(['~'], 'a'), exportScope(['.'], 'a'))).toBe(false);
    expect(scopesIntersect(exportScope(['.'], 'a'), exportScope(['*'], 'b'))).toBe(true);
  });
});

describe('HostIndex', () => {
  it('finds overlapping and covering hosts, before and after removal', () => {
    const index = new HostIndex<string>();
    index.add('a.example.com', 'a');
    index.add('b.x.example.com', 'b');
    index.add('*.x.example.com', 'wild');
    index.add('other.org', 'other');
    expect(index.overlapping('*.example.com').sort()).toEqual(['a', 'b', 'wild']);
    expect(index.overlapping('b.x.example.com').sort()).toEqual(['b', 'wild']);
    expect(index.covering('c.x.example.com')).toEqual(['wild']);
    index.remove('wild');
    index.add('c.example.com', 'c');
    expect(index.overlapping('*.example.com').sort()).toEqual(['a', 'b', 'c']);
    expect(index.exactly('*.x.example.com')).toEqual([]);
  });
});

describe('LabelIndex', () => {
  it('selects by namespace and labels, and forgets removed items', () => {
    type Item = { namespace: string; labels: Record<string, string> };
    const index = new LabelIndex<Item>(
      (item) => item.labels,
      (item) => item.namespace,
    );
    const a: Item = { namespace: 'x', labels: { app: 'a', version: 'v1' } };
    const b: Item = { namespace: 'y', labels: { app: 'a', version: 'v2' } };
    index.add(a);
    index.add(b);
    expect(index.select('x', { app: 'a' })).toEqual([a]);
    expect(index.select(undefined, { app: 'a' })).toEqual([a, b]);
    expect(index.some(undefined, { version: 'v3' })).toBe(false);
    index.remove(a);
    expect(index.select(undefined, { app: 'a' })).toEqual([b]);
    expect(selectorText({ version: 'v1', app: 'a' })).toBe('app=a,version=v1');
  });
});
