import { describe, expect, it } from 'vitest';
import { parseClustersText } from '../envoy/clusters';
import type { CallerView } from '../types/resilience';
import type { RequestSample } from '../types/telemetry';
import {
  callersFromTelemetry,
  circuitBreakerLimits,
  counterIncrease,
  flaggedResponses,
  podResilience,
  summarize,
  upstreamHost,
} from './views';

const reviews = { fqdn: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' };

function sample(
  workload: string,
  flags: string,
  rate: number,
  reporter: RequestSample['reporter'] = 'source',
): RequestSample {
  const peer = (name: string) => ({
    namespace: 'default',
    workload: name,
    app: name,
    version: 'v1',
    principal: 'unknown',
  });
  return {
    reporter,
    source: workload === 'unknown' ? { ...peer('unknown'), namespace: 'unknown' } : peer(workload),
    destination: peer('reviews-v1'),
    service: reviews,
    protocol: 'http',
    responseCode: flags === '-' ? '200' : '503',
    grpcStatus: '',
    responseFlags: flags,
    securityPolicy: 'unknown',
    rate,
  };
}

describe('resilience views', () => {
  it('finds callers in telemetry, never `unknown` ones', () => {
    const requests = [
      sample('productpage-v1', '-', 5),
      sample('unknown', '-', 1, 'destination'),
      sample('idle-v1', '-', 0),
    ];
    expect(callersFromTelemetry(requests, reviews.fqdn)).toEqual([
      { namespace: 'default', workload: 'productpage-v1' },
    ]);
    expect(callersFromTelemetry(requests, 'ratings.default.svc.cluster.local')).toEqual([]);
  });

  it('counts UO and UH answers per caller from source reports only', () => {
    const requests = [
      sample('productpage-v1', 'UO', 2),
      sample('productpage-v1', 'UH,URX', 0.5),
      sample('productpage-v1', 'UO', 9, 'destination'),
      sample('productpage-v1', '-', 10),
    ];
    expect(flaggedResponses(requests, reviews.fqdn, 60)).toEqual([
      {
        source: { namespace: 'default', workload: 'productpage-v1' },
        flag: 'UO',
        responseCode: '503',
        rate: 2,
        count: 120,
      },
      {
        source: { namespace: 'default', workload: 'productpage-v1' },
        flag: 'UH',
        responseCode: '503',
        rate: 0.5,
        count: 30,
      },
    ]);
  });

  it('takes counter increases across resets, as Prometheus does', () => {
    expect(counterIncrease([0, 3, 7])).toBe(7);
    expect(counterIncrease([5, 9, 2, 4])).toBe(8);
    expect(counterIncrease([4])).toBe(0);
  });

  it('turns Envoy hosts into the API’s, no limit as null', () => {
    const [cluster] = parseClustersText(
      [
        'c::default_priority::max_connections::4294967295',
        'c::default_priority::max_pending_requests::1',
        'c::10.0.0.7:9080::rq_total::41',
        'c::10.0.0.7:9080::rq_error::37',
        'c::10.0.0.7:9080::health_flags::/failed_outlier_check',
      ].join('\n'),
    );
    const host = cluster?.hosts[0];
    if (!cluster || !host) throw new Error('no host');
    expect(circuitBreakerLimits(cluster.circuitBreakers)).toEqual([
      {
        priority: 'default',
        maxConnections: null,
        maxPendingRequests: 1,
        maxRequests: null,
        maxRetries: null,
      },
    ]);
    expect(upstreamHost(host, null, null)).toMatchObject({
      address: '10.0.0.7',
      port: 9080,
      state: 'ejected',
      stats: { requests: 41, errors: 37, timeouts: 0 },
    });
  });

  it('sums a pod up across callers: worst state, how many eject it', () => {
    const caller = (name: string, state: 'ejected' | 'healthy'): CallerView => ({
      pod: { namespace: 'default', name },
      workload: 'productpage-v1',
      polledAt: null,
      error: null,
      statsEnabled: true,
      clusters: [
        {
          name: 'outbound|9080|v3|reviews.default.svc.cluster.local',
          port: 9080,
          subset: 'v3',
          circuitBreakers: [],
          hosts: [{ ...upstreamHostStub(), state }],
          ejected: state === 'ejected' ? 1 : 0,
          total: 1,
          maxEjectionPercent: 100,
          maxEjectable: 1,
          atEjectionLimit: state === 'ejected',
        },
      ],
    });
    const pods = podResilience(
      [
        { pod: { namespace: 'default', name: 'reviews-v3-a' }, address: '10.0.0.7', subsets: ['v3'] },
        { pod: { namespace: 'default', name: 'reviews-v1-a' }, address: '10.0.0.9', subsets: ['v1'] },
      ],
      [caller('p1', 'ejected'), caller('p2', 'healthy')],
    );
    expect(pods[0]).toMatchObject({ state: 'ejected', ejectedBy: 1, seenBy: 2 });
    expect(pods[1]).toMatchObject({ state: 'healthy', ejectedBy: 0, seenBy: 0 });
    expect(summarize(pods, 2)).toEqual({ pods: 2, ejectedPods: 1, callers: 2, text: '1 of 2 pods ejected' });
  });
});

function upstreamHostStub() {
  const [cluster] = parseClustersText('c::10.0.0.7:9080::rq_total::1\n');
  const host = cluster?.hosts[0];
  if (!host) throw new Error('no host');
  return upstreamHost(host, null, null);
}
