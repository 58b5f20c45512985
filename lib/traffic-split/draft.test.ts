import { describe, expect, it } from 'vitest';
import type { SplitDestination, SplitRoute, TrafficSplit } from '../types/traffic-split';
import { changeOf, type Draft, draftFrom, draftReducer, isDirty, rebase, undoChange } from './draft';

function destination(subset: string, weight: number): SplitDestination {
  return { host: 'reviews', subset, weight, explicit: true };
}

function route(
  index: number,
  destinations: SplitDestination[],
  candidates: SplitDestination[] = [],
): SplitRoute {
  return { protocol: 'http', index, match: [], destinations, candidates };
}

function split(resourceVersion: string, routes: SplitRoute[]): TrafficSplit {
  return {
    namespace: 'default',
    name: 'reviews',
    resourceVersion,
    hosts: ['reviews'],
    gateways: [],
    routes,
    editable: true,
    canEditDestinationRules: true,
    subsetOffers: [],
    findings: [],
    yaml: '',
    warnings: [],
  };
}

const seed = split('10', [
  route(0, [destination('v1', 50), destination('v3', 50)], [{ ...destination('v2', 0), explicit: false }]),
]);

/** 80/20/0 the way the e2e test drags it: v1 to 80, lock v1, v2 to 20. */
function eightyTwenty(draft: Draft): Draft {
  let next = draftReducer(draft, { type: 'move', route: 'http:0', position: 0, value: 80 });
  next = draftReducer(next, { type: 'lock', route: 'http:0', position: 0 });
  return draftReducer(next, { type: 'move', route: 'http:0', position: 2, value: 20 });
}

describe('the draft', () => {
  it('lists the route destinations, then the subsets it could send to', () => {
    const draft = draftFrom(seed);
    expect(draft.routes[0]?.destinations.map((d) => [d.subset, d.inRoute])).toEqual([
      ['v1', true],
      ['v3', true],
      ['v2', false],
    ]);
    expect(draft.routes[0]?.state.weights).toEqual([50, 50, 0]);
    expect(isDirty(draft)).toBe(false);
    expect(changeOf(draft)).toEqual({ resourceVersion: '10', routes: [] });
  });

  it('asks for the route weights, adding the destination given weight', () => {
    const draft = eightyTwenty(draftFrom(seed));
    expect(draft.routes[0]?.state.weights).toEqual([80, 0, 20]);
    expect(changeOf(draft)).toEqual({
      resourceVersion: '10',
      routes: [
        {
          protocol: 'http',
          index: 0,
          weights: [
            { host: 'reviews', subset: 'v1', weight: 80 },
            { host: 'reviews', subset: 'v3', weight: 0 },
            { host: 'reviews', subset: 'v2', weight: 20 },
          ],
        },
      ],
    });
    const back = draftReducer(draft, { type: 'lastApplied', route: 'http:0' });
    expect(back.routes[0]?.state.weights).toEqual([50, 50, 0]);
    expect(isDirty(back)).toBe(false);
  });

  it('adds a subset to the change and its destination to the routes of that host', () => {
    let draft = draftReducer(draftFrom(seed), {
      type: 'addSubset',
      offer: { host: 'reviews', name: 'v4', labels: { version: 'v4' }, pods: 1 },
    });
    expect(draft.subsets).toEqual([{ host: 'reviews', name: 'v4', labels: { version: 'v4' } }]);
    expect(draft.routes[0]?.destinations.at(-1)).toEqual({
      host: 'reviews',
      subset: 'v4',
      inRoute: false,
      newSubset: true,
    });
    draft = draftReducer(draft, { type: 'move', route: 'http:0', position: 3, value: 10 });
    expect(changeOf(draft).routes[0]?.weights.at(-1)).toEqual({ host: 'reviews', subset: 'v4', weight: 10 });
    draft = draftReducer(draft, { type: 'removeSubset', host: 'reviews', name: 'v4' });
    expect(draft.subsets).toEqual([]);
    expect(draft.routes[0]?.destinations).toHaveLength(3);
    expect(draft.routes[0]?.state.weights.reduce((a, b) => a + b, 0)).toBe(100);
  });
});

describe('rebase', () => {
  it('carries the weights to the route that moved behind a header rule someone added', () => {
    const mine = eightyTwenty(draftFrom(seed));
    const latest = split('12', [
      route(
        0,
        [{ ...destination('v2', 100), explicit: false }],
        [destination('v1', 0), destination('v3', 0)],
      ),
      route(
        1,
        [destination('v1', 50), destination('v3', 50)],
        [{ ...destination('v2', 0), explicit: false }],
      ),
    ]);
    const { draft, problems } = rebase(mine, latest);
    expect(problems).toEqual([]);
    expect(changeOf(draft)).toEqual({
      resourceVersion: '12',
      routes: [
        {
          protocol: 'http',
          index: 1,
          weights: [
            { host: 'reviews', subset: 'v1', weight: 80 },
            { host: 'reviews', subset: 'v3', weight: 0 },
            { host: 'reviews', subset: 'v2', weight: 20 },
          ],
        },
      ],
    });
  });

  it('keeps a header rule in front of the same route', () => {
    const mine = draftReducer(draftFrom(seed), {
      type: 'addHeaderRoute',
      addition: {
        beforeIndex: 0,
        header: 'x-env',
        value: 'canary',
        destination: { host: 'reviews', subset: 'v3' },
      },
    });
    const latest = split('12', [
      route(0, [{ host: 'ratings', weight: 100, explicit: false }]),
      route(1, [destination('v1', 50), destination('v3', 50)]),
    ]);
    expect(changeOf(rebase(mine, latest).draft).headerRoutes?.[0]?.beforeIndex).toBe(1);
  });

  it('refuses to guess when the route now sends to a destination the user never weighed', () => {
    const mine = eightyTwenty(draftFrom(seed));
    const latest = split('12', [
      route(0, [destination('v1', 40), destination('v3', 40), destination('v4', 20)]),
    ]);
    const { draft, problems } = rebase(mine, latest);
    expect(problems).toEqual(['HTTP route 1 now also sends to reviews v4; set its weights again.']);
    expect(changeOf(draft).routes).toEqual([]);
  });
});

describe('undoChange', () => {
  it('puts the weights back on the object as the apply left it, the added destination at 0', () => {
    const applied = eightyTwenty(draftFrom(seed));
    const now = split('11', [route(0, [destination('v1', 80), destination('v3', 0), destination('v2', 20)])]);
    expect(undoChange(applied, now)?.change).toEqual({
      resourceVersion: '11',
      routes: [
        {
          protocol: 'http',
          index: 0,
          weights: [
            { host: 'reviews', subset: 'v1', weight: 50 },
            { host: 'reviews', subset: 'v3', weight: 50 },
            { host: 'reviews', subset: 'v2', weight: 0 },
          ],
        },
      ],
    });
  });

  it('says that a header rule stays, and finds the route behind it', () => {
    const applied = draftReducer(eightyTwenty(draftFrom(seed)), {
      type: 'addHeaderRoute',
      addition: {
        beforeIndex: 0,
        header: 'x-env',
        value: 'canary',
        destination: { host: 'reviews', subset: 'v2' },
      },
    });
    const now = split('11', [
      route(0, [{ ...destination('v2', 100), explicit: false }]),
      route(1, [destination('v1', 80), destination('v3', 0), destination('v2', 20)]),
    ]);
    const undo = undoChange(applied, now);
    expect(undo?.note).toBe('Undo puts the weights back; the header rule stays.');
    expect(undo?.change.routes.map((r) => r.index)).toEqual([1]);
    expect(undo?.change.headerRoutes).toBeUndefined();
  });
});
