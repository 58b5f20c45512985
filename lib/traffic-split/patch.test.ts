import fc from 'fast-check';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import type { RouteWeights } from '../types/traffic-split';
import {
  APPEND_DESTINATION_PATH,
  buildSplitPatch,
  buildSubsetPatch,
  INSERT_ROUTE_PATH,
  type JsonPatchOperation,
  WEIGHT_PATH,
} from './patch';
import { routeDestinations, splitRoutes } from './routes';
import { normalize } from './weights';

type Json = Record<string, unknown>;

const destinationArbitrary = fc.record(
  {
    host: fc.constantFrom('reviews', 'ratings', 'reviews.default.svc.cluster.local', 'details'),
    subset: fc.constantFrom('v1', 'v2', 'v3', 'canary'),
    port: fc.record({ number: fc.constantFrom(9080, 8080) }),
  },
  { requiredKeys: ['host'] },
);

const routeEntryArbitrary = fc.record(
  { destination: destinationArbitrary, weight: fc.integer({ min: 0, max: 100 }) },
  { requiredKeys: ['destination'] },
);

/** A route with 1–4 destinations and fields a weight change must not touch. */
const routeArbitrary = fc.record(
  {
    name: fc.constantFrom('primary', 'canary'),
    match: fc.constant([{ uri: { prefix: '/api' } }]),
    timeout: fc.constantFrom('1s', '10s'),
    retries: fc.constant({ attempts: 3, perTryTimeout: '2s' }),
    route: fc.uniqueArray(routeEntryArbitrary, {
      minLength: 1,
      maxLength: 4,
      selector: (entry) => JSON.stringify(entry.destination),
    }),
  },
  { requiredKeys: ['route'] },
);

const objectArbitrary = fc
  .record(
    {
      http: fc.array(routeArbitrary, { minLength: 1, maxLength: 4 }),
      tcp: fc.array(
        fc.record({
          match: fc.constant([{ port: 3306 }]),
          route: routeArbitrary.map((route) => route.route),
        }),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: ['http'] },
  )
  // JSON round trip: fast-check may build null-prototype objects, which JSON never holds.
  .map((spec) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews', namespace: 'default', resourceVersion: '42', labels: { team: 'a' } },
    spec: JSON.parse(JSON.stringify({ hosts: ['reviews'], gateways: ['mesh'], ...spec })) as Json,
  }));

/** An object and a change of the weights of some of its routes (new integers adding up to 100). */
const changeArbitrary = objectArbitrary.chain((object) => {
  const routes = splitRoutes(object.spec as Json);
  return fc
    .tuple(
      fc.constant(object),
      fc.subarray(routes, { minLength: 1 }),
      fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 4, maxLength: 4 }), {
        minLength: 8,
        maxLength: 8,
      }),
    )
    .map(([candidate, chosen, shares]) => ({
      object: candidate,
      routes: chosen.map((route, order): RouteWeights => {
        const weights = normalize((shares[order] ?? []).slice(0, route.destinations.length));
        return {
          protocol: route.protocol,
          index: route.index,
          weights: route.destinations.map((destination, position) => ({
            host: destination.host,
            ...(destination.subset !== undefined ? { subset: destination.subset } : {}),
            ...(destination.port !== undefined ? { port: destination.port } : {}),
            weight: weights[position] ?? 0,
          })),
        };
      }),
    }));
});

function apply(object: unknown, operations: JsonPatchOperation[]): Json {
  return jsonPatch.applyPatch(structuredClone(object), operations as Operation[], true, false)
    .newDocument as Json;
}

/** The object with every route weight removed: what a weight change must leave as it was. */
function withoutWeights(object: Json): Json {
  const copy = structuredClone(object) as { spec: Json };
  for (const protocol of ['http', 'tcp']) {
    for (const route of (copy.spec[protocol] as { route?: Json[] }[] | undefined) ?? [])
      for (const entry of route.route ?? []) delete entry.weight;
  }
  return copy as unknown as Json;
}

describe('buildSplitPatch', () => {
  it('property: a weight change writes only weight paths, each route preconditioned, and lands exactly', () => {
    fc.assert(
      fc.property(changeArbitrary, ({ object, routes }) => {
        const { operations, problems } = buildSplitPatch(object.spec as Json, { routes });
        expect(problems).toEqual([]);
        const writes = operations.filter((operation) => operation.op !== 'test');
        for (const write of writes) expect(write.path).toMatch(WEIGHT_PATH);
        // Every route written to has every destination tested first.
        for (const write of writes) {
          const routePath = write.path.replace(/\/\d+\/weight$/, '');
          const position = operations.indexOf(write);
          const tested = operations
            .slice(0, position)
            .filter((operation) => operation.op === 'test' && operation.path.startsWith(`${routePath}/`));
          const stored = ((object.spec as Json)[routePath.split('/')[2] ?? ''] as { route: unknown[] }[])[
            Number(routePath.split('/')[3])
          ]?.route;
          expect(tested).toHaveLength(stored?.length ?? -1);
        }
        const result = apply(object, operations);
        expect(withoutWeights(result)).toEqual(withoutWeights(object));
        for (const edit of routes) {
          const route = ((result.spec as Json)[edit.protocol ?? 'http'] as Json[])[edit.index] as Json;
          expect(routeDestinations(route).map((d) => d.weight)).toEqual(edit.weights.map((w) => w.weight));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('property: the patch fails (never lands) on an object whose route changed shape', () => {
    fc.assert(
      fc.property(changeArbitrary, fc.nat(), ({ object, routes }, pick) => {
        const { operations } = buildSplitPatch(object.spec as Json, { routes });
        const edit = routes[pick % routes.length] as RouteWeights;
        const changed = structuredClone(object) as { spec: Json };
        const route = (changed.spec[edit.protocol ?? 'http'] as { route: Json[] }[])[edit.index];
        const first = route?.route[0];
        if (!first) return;
        first.destination = { host: 'someone-else', subset: 'vX' };
        expect(() => apply(changed, operations)).toThrow(/Test operation failed/);
      }),
      { numRuns: 300 },
    );
  });

  it('writes nothing for unchanged weights and only what changed otherwise', () => {
    const spec = {
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
            { destination: { host: 'reviews', subset: 'v3' }, weight: 50 },
          ],
        },
      ],
    };
    const same = buildSplitPatch(spec, {
      routes: [
        {
          index: 0,
          weights: [
            { host: 'reviews', subset: 'v1', weight: 50 },
            { host: 'reviews', subset: 'v3', weight: 50 },
          ],
        },
      ],
    });
    expect(same.operations.filter((operation) => operation.op !== 'test')).toEqual([]);
    const moved = buildSplitPatch(spec, {
      routes: [
        {
          index: 0,
          weights: [
            { host: 'reviews', subset: 'v1', weight: 80 },
            { host: 'reviews', subset: 'v3', weight: 0 },
            { host: 'reviews', subset: 'v2', weight: 20 },
          ],
        },
      ],
    });
    expect(moved.operations).toEqual([
      { op: 'test', path: '/spec/http/0/route/0/destination', value: { host: 'reviews', subset: 'v1' } },
      { op: 'test', path: '/spec/http/0/route/1/destination', value: { host: 'reviews', subset: 'v3' } },
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 80 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 0 },
      {
        op: 'add',
        path: '/spec/http/0/route/-',
        value: { destination: { host: 'reviews', subset: 'v2' }, weight: 20 },
      },
    ]);
    expect(moved.operations[4]?.path).toMatch(APPEND_DESTINATION_PATH);
  });

  it('states an implied weight when the route gains a destination', () => {
    const spec = { http: [{ route: [{ destination: { host: 'ratings', subset: 'v1' } }] }] };
    const { operations } = buildSplitPatch(spec, {
      routes: [
        {
          index: 0,
          weights: [
            { host: 'ratings', subset: 'v1', weight: 90 },
            { host: 'ratings', subset: 'v2', weight: 10 },
          ],
        },
      ],
    });
    const result = apply({ spec }, operations);
    expect(result.spec).toEqual({
      http: [
        {
          route: [
            { destination: { host: 'ratings', subset: 'v1' }, weight: 90 },
            { destination: { host: 'ratings', subset: 'v2' }, weight: 10 },
          ],
        },
      ],
    });
  });

  it('puts a header rule in front of the weighted route, after the weights are written', () => {
    const spec = {
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
            { destination: { host: 'reviews', subset: 'v3' }, weight: 50 },
          ],
        },
      ],
    };
    const { operations, problems } = buildSplitPatch(spec, {
      routes: [
        {
          index: 0,
          weights: [
            { host: 'reviews', subset: 'v1', weight: 90 },
            { host: 'reviews', subset: 'v3', weight: 10 },
          ],
        },
      ],
      headerRoutes: [
        { beforeIndex: 0, header: 'x-env', value: 'canary', destination: { host: 'reviews', subset: 'v3' } },
      ],
    });
    expect(problems).toEqual([]);
    expect(operations.at(-1)?.path).toMatch(INSERT_ROUTE_PATH);
    const result = apply({ spec }, operations) as { spec: { http: Json[] } };
    expect(result.spec.http[0]).toEqual({
      name: 'x-env-canary',
      match: [{ headers: { 'x-env': { exact: 'canary' } } }],
      route: [{ destination: { host: 'reviews', subset: 'v3' } }],
    });
    expect(routeDestinations(result.spec.http[1] as Json).map((d) => d.weight)).toEqual([90, 10]);
  });

  it('refuses bad changes in words, placed at the route and destination, with no operations', () => {
    const spec = {
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
            { destination: { host: 'reviews', subset: 'v3' }, weight: 50 },
          ],
        },
      ],
    };
    const result = buildSplitPatch(spec, {
      routes: [
        {
          index: 0,
          weights: [
            { host: 'reviews', subset: 'v1', weight: 60.5 },
            { host: 'reviews', subset: 'v2', weight: 50 },
          ],
        },
        { index: 3, weights: [] },
      ],
      headerRoutes: [{ beforeIndex: 0, header: 'X-Env', value: '', destination: { host: 'reviews' } }],
    });
    expect(result.operations).toEqual([]);
    expect(result.problems).toEqual([
      {
        protocol: 'http',
        index: 0,
        destination: 0,
        message: 'Weight of reviews v1: 60.5 is not a whole number: use 0 to 100 without decimals.',
      },
      {
        protocol: 'http',
        index: 0,
        destination: 1,
        message: 'Destination 2 of HTTP route 1 is reviews v3, not reviews v2. Reload and try again.',
      },
      { protocol: 'http', index: 0, message: 'The weights add up to 110.5; they must add up to 100.' },
      {
        protocol: 'http',
        index: 3,
        message: 'HTTP route 4 does not exist in this VirtualService (it has 1).',
      },
      {
        protocol: 'http',
        index: 0,
        message: '"X-Env" is not a header name Istio matches: use lower case letters, digits and hyphens.',
      },
      { protocol: 'http', index: 0, message: 'The header rule needs a value to match.' },
    ]);
  });
});

describe('buildSubsetPatch', () => {
  it('appends missing subsets only, creating the list when absent', () => {
    expect(
      buildSubsetPatch({ host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }, [
        { host: 'reviews', name: 'v1', labels: { version: 'v1' } },
        { host: 'reviews', name: 'v4', labels: { version: 'v4' } },
      ]),
    ).toEqual([{ op: 'add', path: '/spec/subsets/-', value: { name: 'v4', labels: { version: 'v4' } } }]);
    expect(
      buildSubsetPatch({ host: 'reviews' }, [{ host: 'reviews', name: 'v4', labels: { version: 'v4' } }]),
    ).toEqual([{ op: 'add', path: '/spec/subsets', value: [{ name: 'v4', labels: { version: 'v4' } }] }]);
  });
});
