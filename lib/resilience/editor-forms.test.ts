import { describe, expect, it } from 'vitest';
import { buildCircuitBreakerPatch } from './breaker-edit';
import { breakerEdit, breakerForm, routeEdit, routeForm } from './editor-forms';
import { buildRoutePolicyPatch, type RoutePolicy } from './route-policy';

const route: RoutePolicy = {
  index: 0,
  name: null,
  match: 'every request',
  destinations: 'reviews v1',
  fault: { abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 5 } } },
  timeout: null,
  retries: { attempts: 2, retryRemoteLocalities: true },
  explanation: [],
};

describe('the route form', () => {
  it('round-trips, keeps fields it does not show, and an untouched form patches nothing', () => {
    const form = routeForm(route);
    expect(form).toMatchObject({
      abortOn: true,
      abortPercent: '5',
      delayOn: false,
      retriesOn: true,
      attempts: '2',
    });
    const edit = routeEdit(route, form);
    expect(edit.fault).toEqual(route.fault);
    expect(edit.retries).toEqual(route.retries);
    const spec = { http: [{ fault: route.fault, retries: route.retries, route: [] }] };
    expect(buildRoutePolicyPatch(spec, [edit])).toEqual([]);
  });

  it('typing a 50 % abort and a timeout gives just those fields', () => {
    const plain: RoutePolicy = { ...route, fault: null, retries: null };
    const form = { ...routeForm(plain), abortOn: true, abortPercent: '50', httpStatus: '503', timeout: '2s' };
    const edit = routeEdit(plain, form);
    expect(edit).toEqual({
      index: 0,
      fault: { abort: { httpStatus: 503, percentage: { value: 50 } } },
      timeout: '2s',
      retries: null,
    });
  });
});

describe('the circuit-breaker form', () => {
  const section = {
    subset: null,
    connectionPool: {
      tcp: { maxConnections: 100, connectTimeout: '1s' },
      http: { http1MaxPendingRequests: 100 },
    },
    outlierDetection: { consecutive5xxErrors: 3, interval: '5s', splitExternalLocalOriginErrors: false },
  };

  it('changing one field patches one leaf; blanking the last pool field removes the pool group', () => {
    const form = breakerForm(section);
    expect(form.http1MaxPendingRequests).toBe('100');
    const spec = { trafficPolicy: { ...section } };
    const edit = breakerEdit(section, { ...form, http1MaxPendingRequests: '1' });
    expect(buildCircuitBreakerPatch(spec, edit)).toEqual([
      { op: 'replace', path: '/spec/trafficPolicy/connectionPool/http/http1MaxPendingRequests', value: 1 },
    ]);
    const blank = breakerEdit(section, { ...form, http1MaxPendingRequests: '' });
    expect(buildCircuitBreakerPatch(spec, blank)).toEqual([
      { op: 'remove', path: '/spec/trafficPolicy/connectionPool/http' },
    ]);
  });

  it('switching outlier detection off removes the section', () => {
    const spec = { trafficPolicy: { ...section } };
    const edit = breakerEdit(section, { ...breakerForm(section), outlierOn: false });
    expect(buildCircuitBreakerPatch(spec, edit)).toEqual([
      { op: 'remove', path: '/spec/trafficPolicy/outlierDetection' },
    ]);
  });
});
