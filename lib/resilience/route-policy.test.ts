import { describe, expect, it } from 'vitest';
import { diffPatch } from './json-patch';
import {
  buildRoutePolicyPatch,
  explainRoutePolicy,
  routePolicies,
  routePolicyProblems,
} from './route-policy';

const spec = {
  hosts: ['reviews'],
  http: [
    {
      match: [{ uri: { prefix: '/api' } }],
      route: [{ destination: { host: 'reviews', subset: 'v1' } }],
      timeout: '3s',
    },
    {
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
        { destination: { host: 'reviews', subset: 'v3' }, weight: 50 },
      ],
      fault: {
        delay: { percentage: { value: 10 }, fixedDelay: '2s' },
        abort: { httpStatus: 503, percentage: { value: 5 } },
      },
      retries: { attempts: 3, perTryTimeout: '1s', retryOn: '5xx' },
    },
  ],
};

describe('route policies in words', () => {
  it('reads every route with its match, destinations and settings', () => {
    const routes = routePolicies(spec);
    expect(routes.map((route) => route.match)).toEqual(['uri prefix /api', 'every request']);
    expect(routes[1]?.destinations).toBe('reviews v1 50 %, reviews v3 50 %');
    expect(routes[0]?.explanation).toContain('No fault injection.');
    expect(routes[0]?.explanation.join(' ')).toContain('gives up after 3 s');
    expect(routes[1]?.explanation).toContain(
      "Fault injection: 5 % of requests are answered 503 by the caller's proxy without reaching the service (response flag FI).",
    );
    expect(routes[1]?.explanation).toContain(
      'Fault injection: 10 % of requests are delayed by 2 s before they are sent on.',
    );
    expect(routes[1]?.explanation).toContain('Retries: up to 3 more tries, each try up to 1 s, on 5xx.');
  });

  it("says Istio's defaults when nothing is set", () => {
    expect(explainRoutePolicy({ fault: null, timeout: null, retries: null })).toEqual([
      'No fault injection.',
      'Timeout: none for HTTP routes (Istio disables Envoy’s default of 15 s).',
      "Retries: Istio's default, 2 more tries on connect-failure, refused-stream, unavailable, cancelled and retriable status codes (503).",
    ]);
    expect(explainRoutePolicy({ fault: null, timeout: null, retries: { attempts: 0 } })).toContain(
      'Retries: off (attempts 0).',
    );
  });
});

describe('checking an edit', () => {
  it('refuses percentages, statuses and durations out of range, and unknown routes', () => {
    expect(
      routePolicyProblems(spec, {
        index: 0,
        fault: { abort: { httpStatus: 700, percentage: { value: 150 } }, delay: { fixedDelay: 'soon' } },
        timeout: 'x',
        retries: { attempts: -1, retryOn: '5xx,sometimes', perTryTimeout: '1s' },
      }),
    ).toEqual([
      'Route 1 delay fixedDelay: "soon" is not a duration such as 2s, 500ms or 1m.',
      'Route 1 abort: the percentage must be between 0 and 100.',
      'Route 1 abort: the HTTP status must be a whole number from 200 to 599.',
      'Route 1 timeout: "x" is not a duration such as 2s, 500ms or 1m.',
      'Route 1 retries: attempts must be a whole number, 0 or more.',
      'Route 1 retries: retryOn has unknown conditions sometimes.',
    ]);
    expect(routePolicyProblems(spec, { index: 5, timeout: '1s' })).toEqual([
      'Route 6 does not exist (the VirtualService has 2 HTTP routes).',
    ]);
    expect(routePolicyProblems(spec, { index: 0, timeout: '1s', retries: { perTryTimeout: '2s' } })).toEqual([
      "Route 1: perTryTimeout is longer than the route's timeout, so a retry never gets to run.",
    ]);
    expect(
      routePolicyProblems(spec, {
        index: 0,
        fault: { abort: { httpStatus: 503, percentage: { value: 50 } } },
      }),
    ).toEqual([]);
  });
});

describe('the patch of an edit touches only the edited paths', () => {
  it('adds a fault whole where there was none, and leaves the other sections alone', () => {
    expect(
      buildRoutePolicyPatch(spec, [
        { index: 0, fault: { abort: { httpStatus: 503, percentage: { value: 50 } } } },
      ]),
    ).toEqual([
      {
        op: 'add',
        path: '/spec/http/0/fault',
        value: { abort: { httpStatus: 503, percentage: { value: 50 } } },
      },
    ]);
  });

  it('replaces one leaf of an existing fault, removes a dropped part and a null section', () => {
    const operations = buildRoutePolicyPatch(spec, [
      {
        index: 1,
        fault: { abort: { httpStatus: 503, percentage: { value: 50 } } },
        retries: null,
        timeout: '4s',
      },
    ]);
    expect(operations).toEqual([
      { op: 'remove', path: '/spec/http/1/fault/delay' },
      { op: 'replace', path: '/spec/http/1/fault/abort/percentage/value', value: 50 },
      { op: 'add', path: '/spec/http/1/timeout', value: '4s' },
      { op: 'remove', path: '/spec/http/1/retries' },
    ]);
  });

  it('gives nothing for an unchanged section or one left out', () => {
    expect(buildRoutePolicyPatch(spec, [{ index: 0, timeout: '3s' }])).toEqual([]);
    expect(buildRoutePolicyPatch(spec, [{ index: 1 }])).toEqual([]);
    expect(buildRoutePolicyPatch(spec, [{ index: 0, fault: null }])).toEqual([]);
  });

  it('escapes pointer segments', () => {
    expect(diffPatch('/a', { 'x/y': 1 }, { 'x/y': 2 })).toEqual([
      { op: 'replace', path: '/a/x~1y', value: 2 },
    ]);
  });
});
