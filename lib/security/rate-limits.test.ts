import { describe, expect, it } from 'vitest';
import { durationSeconds, listRateLimits } from './rate-limits';
import { istio, snapshotOf, workload } from './test-snapshot';

const productpage = workload('default', 'productpage-v1', { app: 'productpage', version: 'v1' });
const reviews = workload('default', 'reviews-v1', { app: 'reviews', version: 'v1' });
const other = workload('shop', 'cart-v1', { app: 'cart' });

/** Istio's documented local rate limit: a TypedStruct on SIDECAR_INBOUND with a token bucket. */
function inboundLimit(options: { enforced?: number; labels?: Record<string, string> } = {}) {
  return {
    ...(options.labels ? { workloadSelector: { labels: options.labels } } : {}),
    configPatches: [
      {
        applyTo: 'HTTP_FILTER',
        match: {
          context: 'SIDECAR_INBOUND',
          listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } },
        },
        patch: {
          operation: 'INSERT_BEFORE',
          value: {
            name: 'envoy.filters.http.local_ratelimit',
            typed_config: {
              '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
              type_url: 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
              value: {
                stat_prefix: 'http_local_rate_limiter',
                token_bucket: { max_tokens: 4, tokens_per_fill: 4, fill_interval: '60s' },
                filter_enabled: {
                  runtime_key: 'on',
                  default_value: { numerator: 100, denominator: 'HUNDRED' },
                },
                ...(options.enforced === undefined
                  ? {}
                  : {
                      filter_enforced: {
                        runtime_key: 'enforced',
                        default_value: { numerator: options.enforced, denominator: 'HUNDRED' },
                      },
                    }),
              },
            },
          },
        },
      },
    ],
  };
}

describe('local rate limits from EnvoyFilters', () => {
  it('reads the token bucket and names the workloads the selector picks', () => {
    const snapshot = snapshotOf({
      workloads: [productpage, reviews, other],
      istio: [
        istio(
          'EnvoyFilter',
          'default',
          'pp-limit',
          inboundLimit({ enforced: 100, labels: { app: 'productpage' } }),
        ),
      ],
    });
    const [limit, ...rest] = listRateLimits(snapshot);
    expect(rest).toEqual([]);
    expect(limit).toMatchObject({
      namespace: 'default',
      name: 'pp-limit',
      context: 'SIDECAR_INBOUND',
      selector: { app: 'productpage' },
      selects: [{ namespace: 'default', name: 'productpage-v1', sidecar: true }],
      maxTokens: 4,
      tokensPerFill: 4,
      fillIntervalSeconds: 60,
      enabledPercent: 100,
      enforcedPercent: 100,
      summary:
        '4 requests per 60 s (bursts up to 4) for requests the workload receives; over it the sidecar answers 429',
    });
  });

  it('says when the limit is only counted, and covers the namespace or the mesh without a selector', () => {
    const snapshot = snapshotOf({
      workloads: [productpage, reviews, other],
      istio: [
        istio('EnvoyFilter', 'default', 'ns-limit', inboundLimit()),
        istio('EnvoyFilter', 'istio-system', 'mesh-limit', inboundLimit({ enforced: 50 })),
      ],
    });
    const limits = listRateLimits(snapshot);
    expect(limits.map((limit) => [limit.name, limit.selects.map((entry) => entry.name)])).toEqual([
      ['ns-limit', ['productpage-v1', 'reviews-v1']],
      ['mesh-limit', ['productpage-v1', 'reviews-v1', 'cart-v1']],
    ]);
    expect(limits[0]?.summary).toContain('enabled but not enforced');
    expect(limits[1]?.summary).toContain('enforced on 50 % of requests');
  });

  it('finds the direct typed_config form and route-level limits, and ignores other filters', () => {
    const snapshot = snapshotOf({
      workloads: [reviews],
      istio: [
        istio('EnvoyFilter', 'default', 'route-limit', {
          workloadSelector: { labels: { app: 'reviews' } },
          configPatches: [
            {
              applyTo: 'HTTP_ROUTE',
              match: { context: 'SIDECAR_OUTBOUND' },
              patch: {
                operation: 'MERGE',
                value: {
                  typed_per_filter_config: {
                    'envoy.filters.http.local_ratelimit': {
                      '@type':
                        'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
                      token_bucket: { max_tokens: 10, fill_interval: '1s' },
                      filter_enabled: { default_value: { numerator: 100 } },
                      filter_enforced: { default_value: { numerator: 100 } },
                    },
                  },
                },
              },
            },
          ],
        }),
        istio('EnvoyFilter', 'default', 'lua', {
          configPatches: [{ applyTo: 'HTTP_FILTER', patch: { value: { name: 'envoy.filters.http.lua' } } }],
        }),
      ],
    });
    expect(listRateLimits(snapshot)).toEqual([
      expect.objectContaining({
        name: 'route-limit',
        context: 'SIDECAR_OUTBOUND',
        tokensPerFill: 10,
        fillIntervalSeconds: 1,
        summary:
          '10 requests per 1 s (bursts up to 10) for requests the workload sends on the matched routes; over it the sidecar answers 429',
      }),
    ]);
  });

  it('reads durations', () => {
    expect(durationSeconds('1.5s')).toBe(1.5);
    expect(durationSeconds('2m')).toBe(120);
    expect(durationSeconds('250ms')).toBe(0.25);
    expect(durationSeconds('soon')).toBeUndefined();
  });
});
