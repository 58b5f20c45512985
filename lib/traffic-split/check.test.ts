import { describe, expect, it } from 'vitest';
import { loadFixture } from '../graph/fixtures/load';
import type { ConfigSnapshot, IstioObject } from '../types/mesh-config';
import { MeshIndex } from '../validation/mesh-index';
import { SplitChecker, subsetName } from './check';
import { splitRoutes } from './routes';

/** The simulator's bookinfo configuration, as recorded for the graph's tests. */
function bookinfo(): ConfigSnapshot {
  return loadFixture('bookinfo').config;
}

function virtualService(snapshot: ConfigSnapshot, name: string): IstioObject {
  const found = snapshot.istio.find((object) => object.kind === 'VirtualService' && object.name === name);
  if (!found) throw new Error(`no VirtualService ${name} in the fixture`);
  return found;
}

function checker(snapshot: ConfigSnapshot, name: string, pending = []) {
  return new SplitChecker(new MeshIndex(snapshot), virtualService(snapshot, name), pending);
}

describe('SplitChecker', () => {
  it('finds no problem in bookinfo reviews and offers the subset its route does not use', () => {
    const snapshot = bookinfo();
    const routes = checker(snapshot, 'reviews').annotate(
      splitRoutes(virtualService(snapshot, 'reviews').spec),
    );
    expect(routes).toHaveLength(1);
    expect(routes[0]?.destinations.map((d) => [d.subset, d.weight, d.problem])).toEqual([
      ['v1', 50, undefined],
      ['v3', 50, undefined],
    ]);
    expect(routes[0]?.candidates).toEqual([{ host: 'reviews', subset: 'v2', weight: 0, explicit: false }]);
  });

  it('warns about subsets without running pods', () => {
    const snapshot = bookinfo();
    const routes = checker(snapshot, 'ratings').annotate(
      splitRoutes(virtualService(snapshot, 'ratings').spec),
    );
    const v2 = routes[0]?.candidates.find((candidate) => candidate.subset === 'v2');
    expect(v2?.problem).toEqual({
      severity: 'warning',
      message:
        'Subset v2 selects no running pod of ratings: requests sent to ratings v2 would fail with 503 until one runs.',
    });
  });

  it('names unknown hosts and undefined subsets as errors, unless the change adds the subset', () => {
    const snapshot = bookinfo();
    const check = checker(snapshot, 'reviews');
    expect(check.problem({ host: 'reviewz', subset: 'v1' })).toEqual({
      severity: 'error',
      message:
        'reviewz is not a Service or ServiceEntry host visible from default: requests sent here would fail with 503.',
    });
    expect(check.problem({ host: 'reviews', subset: 'v9' })?.message).toBe(
      'Subset v9 is not defined by a DestinationRule for reviews: requests sent to reviews v9 would fail with 503 (no healthy upstream).',
    );
    const pending = new SplitChecker(new MeshIndex(snapshot), virtualService(snapshot, 'reviews'), [
      { host: 'reviews', name: 'v9', labels: { version: 'v9' } },
    ]);
    // Defined by the pending addition; no pod runs v9 yet, which is a warning only.
    expect(pending.problem({ host: 'reviews', subset: 'v9' })?.severity).toBe('warning');
  });

  it('refuses traffic to failing destinations, but not a weight of 0', () => {
    const snapshot = bookinfo();
    const problems = checker(snapshot, 'reviews').check({
      routes: [
        {
          index: 0,
          weights: [
            { host: 'reviews', subset: 'v1', weight: 100 },
            { host: 'reviews', subset: 'v3', weight: 0 },
            { host: 'reviews', subset: 'v9', weight: 0 },
          ],
        },
        { index: 1, weights: [{ host: 'nowhere', weight: 100 }] },
      ],
      headerRoutes: [
        { beforeIndex: 0, header: 'x-env', value: 'canary', destination: { host: 'reviews', subset: 'v8' } },
      ],
      subsets: [{ host: 'reviews', name: 'V_1', labels: { version: 'V_1' } }],
    });
    expect(
      problems.map((problem) => [problem.index, problem.destination, problem.message.slice(0, 40)]),
    ).toEqual([
      [1, 0, 'nowhere is not a Service or ServiceEntry'],
      [0, undefined, 'Header rule: Subset v8 is not defined by'],
      [0, undefined, '"V_1" cannot name a subset: use lower ca'],
    ]);
  });

  it('offers a subset for a version with pods and none, naming the DestinationRule it goes into', () => {
    const snapshot = bookinfo();
    const v3 = snapshot.pods.find((pod) => pod.labels.app === 'reviews' && pod.labels.version === 'v3');
    if (!v3) throw new Error('no reviews v3 pod in the fixture');
    snapshot.pods.push({
      ...v3,
      name: 'reviews-v4-abc',
      labels: { ...v3.labels, version: 'v4.1' },
    });
    const routes = splitRoutes(virtualService(snapshot, 'reviews').spec);
    expect(checker(snapshot, 'reviews').offers(routes)).toEqual([
      {
        host: 'reviews',
        name: 'v4-1',
        labels: { version: 'v4.1' },
        pods: 1,
        destinationRule: { namespace: 'default', name: 'reviews' },
      },
    ]);
    // Without a DestinationRule for the host, the offer creates one.
    snapshot.istio = snapshot.istio.filter(
      (object) => !(object.kind === 'DestinationRule' && object.name === 'reviews'),
    );
    expect(
      checker(snapshot, 'reviews')
        .offers(routes)
        .map((offer) => [offer.name, offer.destinationRule]),
    ).toEqual([
      ['v1', undefined],
      ['v2', undefined],
      ['v3', undefined],
      ['v4-1', undefined],
    ]);
  });

  it('turns versions into subset names', () => {
    expect(subsetName('v2')).toBe('v2');
    expect(subsetName('1.2.0_RC')).toBe('1-2-0-rc');
    expect(subsetName('...')).toBe('unversioned');
  });
});
