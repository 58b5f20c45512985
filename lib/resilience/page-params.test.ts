import { describe, expect, it } from 'vitest';
import { parseResiliencePageState, resilienceHref, resiliencePageSearch, windowSeconds } from './page-params';
import { outlierSummary, poolSummary } from './summary';

describe('the resilience pages’ URL state', () => {
  it('reads namespaces, window and refresh, and writes them back', () => {
    const state = parseResiliencePageState(
      new URLSearchParams('namespaces=default,legacy,default&duration=30m&refresh=pause'),
    );
    expect(state).toEqual({ namespaces: ['default', 'legacy'], duration: '30m', refresh: 'pause' });
    expect(parseResiliencePageState(new URLSearchParams(resiliencePageSearch(state)))).toEqual(state);
    expect(windowSeconds(state.duration)).toBe(1800);
  });

  it('falls back to defaults for anything unreadable (an old bookmark still opens)', () => {
    expect(
      parseResiliencePageState(new URLSearchParams('namespaces=Bad_Name&duration=7y&refresh=1ms')),
    ).toEqual({
      namespaces: ['default'],
      duration: '10m',
      refresh: '10s',
    });
  });

  it('links to a service page with the window and refresh kept', () => {
    expect(resilienceHref('default', 'reviews', { duration: '1h', refresh: '30s' })).toBe(
      '/resilience/default/reviews?duration=1h&refresh=30s',
    );
    expect(resilienceHref('default', 'reviews')).toBe('/resilience/default/reviews');
  });
});

describe('circuit breakers in a few words', () => {
  it('says outlier detection and pool limits briefly, null when off', () => {
    expect(
      outlierSummary({
        consecutive5xxErrors: 3,
        interval: '5s',
        baseEjectionTime: '15s',
        maxEjectionPercent: 100,
      }),
    ).toBe('3 × 5xx in 5 s → out 15 s, at most 100 % of pods');
    expect(outlierSummary({ consecutive5xxErrors: 0 })).toBe('on, but never ejects (error counts 0)');
    expect(outlierSummary(undefined)).toBeNull();
    expect(poolSummary({ tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } })).toBe(
      '1 connection, 1 pending',
    );
    expect(poolSummary({ tcp: { connectTimeout: '1s' } })).toBeNull();
  });
});
