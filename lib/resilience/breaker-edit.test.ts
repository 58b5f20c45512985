import { describe, expect, it } from 'vitest';
import {
  breakerSections,
  buildCircuitBreakerPatch,
  circuitBreakerGuidance,
  circuitBreakerProblems,
} from './breaker-edit';

const spec = {
  host: 'reviews',
  trafficPolicy: {
    connectionPool: {
      tcp: { maxConnections: 100 },
      http: { http1MaxPendingRequests: 100, maxRequestsPerConnection: 10 },
    },
    outlierDetection: {
      consecutive5xxErrors: 3,
      interval: '5s',
      baseEjectionTime: '15s',
      maxEjectionPercent: 100,
    },
    tls: { mode: 'ISTIO_MUTUAL' },
  },
  subsets: [
    { name: 'v1', labels: { version: 'v1' } },
    {
      name: 'v3',
      labels: { version: 'v3' },
      trafficPolicy: { connectionPool: { http: { http2MaxRequests: 10 } } },
    },
  ],
};

describe('circuit-breaker sections of a DestinationRule', () => {
  it('lists the top level, then each subset, as written', () => {
    expect(
      breakerSections(spec).map((section) => [
        section.subset,
        section.connectionPool !== null,
        section.outlierDetection !== null,
      ]),
    ).toEqual([
      [null, true, true],
      ['v1', false, false],
      ['v3', true, false],
    ]);
  });
});

describe('the patch of a circuit-breaker edit', () => {
  it('changes one pool limit at the top level, nothing else (tls stays)', () => {
    const pool = {
      ...spec.trafficPolicy.connectionPool,
      http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 10 },
    };
    expect(buildCircuitBreakerPatch(spec, { subset: null, connectionPool: pool })).toEqual([
      { op: 'replace', path: '/spec/trafficPolicy/connectionPool/http/http1MaxPendingRequests', value: 1 },
    ]);
  });

  it('adds a traffic policy to a subset without one, and removes a section set to null', () => {
    expect(
      buildCircuitBreakerPatch(spec, { subset: 'v1', outlierDetection: { consecutive5xxErrors: 5 } }),
    ).toEqual([
      {
        op: 'add',
        path: '/spec/subsets/0/trafficPolicy',
        value: { outlierDetection: { consecutive5xxErrors: 5 } },
      },
    ]);
    expect(buildCircuitBreakerPatch(spec, { subset: 'v3', connectionPool: null })).toEqual([
      { op: 'remove', path: '/spec/subsets/1/trafficPolicy/connectionPool' },
    ]);
    expect(buildCircuitBreakerPatch(spec, { subset: 'v1', connectionPool: null })).toEqual([]);
    expect(buildCircuitBreakerPatch(spec, { subset: 'v9', connectionPool: {} })).toEqual([]);
  });
});

describe('checking and guidance', () => {
  it('refuses negative counts, bad durations, percentages over 100 and unknown subsets', () => {
    expect(
      circuitBreakerProblems(spec, {
        subset: null,
        connectionPool: { http: { http1MaxPendingRequests: -1 }, tcp: { connectTimeout: 'later' } },
        outlierDetection: { consecutive5xxErrors: 1.5, interval: '0s', maxEjectionPercent: 120 },
      }),
    ).toEqual([
      'Top-level policy: connectionPool.http.http1MaxPendingRequests must be a whole number, 0 or more.',
      'Top-level policy: connectionPool.tcp.connectTimeout "later" is not a duration such as 10s.',
      'Top-level policy: outlierDetection.consecutive5xxErrors must be a whole number, 0 or more.',
      'Top-level policy: outlierDetection.interval "0s" is not a duration of at least 1ms.',
      'Top-level policy: outlierDetection.maxEjectionPercent must be a whole number from 0 to 100.',
    ]);
    expect(circuitBreakerProblems(spec, { subset: 'v9' })).toEqual(['The DestinationRule has no subset v9.']);
  });

  it('warns about a queue of 1 and every pod ejectable, against the pod count', () => {
    const guidance = circuitBreakerGuidance(
      {
        subset: null,
        connectionPool: { http: { http1MaxPendingRequests: 1 } },
        outlierDetection: spec.trafficPolicy.outlierDetection,
      },
      4,
    );
    expect(guidance.map((entry) => entry.field)).toEqual([
      'outlierDetection.maxEjectionPercent',
      'connectionPool.http.http1MaxPendingRequests',
    ]);
    expect(
      circuitBreakerGuidance({ subset: null, outlierDetection: { maxEjectionPercent: 50 } }, 1)[0]?.message,
    ).toContain('A single pod');
  });
});
