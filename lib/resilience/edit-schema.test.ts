import { describe, expect, it } from 'vitest';
import { parseCircuitBreakerChange, parseRoutePolicyChange } from './edit-schema';

describe('the editors’ PUT bodies', () => {
  it('accepts a route edit and a circuit-breaker edit as the UI sends them', () => {
    expect(
      parseRoutePolicyChange({
        virtualService: { namespace: 'default', name: 'reviews' },
        resourceVersion: '12',
        routes: [
          { index: 0, fault: { abort: { httpStatus: 503, percentage: { value: 50 } } }, timeout: null },
        ],
        dryRun: true,
      }).ok,
    ).toBe(true);
    expect(
      parseCircuitBreakerChange({
        destinationRule: { namespace: 'default', name: 'reviews' },
        resourceVersion: '12',
        subset: 'v3',
        connectionPool: { http: { http1MaxPendingRequests: 1 } },
      }).ok,
    ).toBe(true);
  });

  it('names each problem: no resourceVersion, no route, a bad name, a section that is not an object', () => {
    const route = parseRoutePolicyChange({
      virtualService: { namespace: 'Default', name: 'reviews' },
      routes: [],
    });
    expect(route.ok).toBe(false);
    if (!route.ok)
      expect(route.problems).toEqual([
        'virtualService.namespace: must be a Kubernetes name',
        'resourceVersion: Invalid input: expected string, received undefined',
        'routes: name at least one route',
      ]);
    const breaker = parseCircuitBreakerChange({
      destinationRule: { namespace: 'default', name: 'reviews' },
      resourceVersion: '1',
      subset: null,
      outlierDetection: 'on',
    });
    expect(breaker.ok).toBe(false);
    if (!breaker.ok) expect(breaker.problems[0]).toMatch(/^outlierDetection: /);
  });
});
